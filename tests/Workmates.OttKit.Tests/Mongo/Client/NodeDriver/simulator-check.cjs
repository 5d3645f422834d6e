// Drives the replica-set simulator with the official MongoDB Node.js driver (npm "mongodb").
// Usage: node simulator-check.cjs <connection string>. Prints one JSON line with what the driver saw.
const { MongoClient } = require('mongodb');

async function main() {
  const client = new MongoClient(process.argv[2], { serverSelectionTimeoutMS: 10000, authMechanism: 'SCRAM-SHA-256' });
  await client.connect();
  try {
    const admin = client.db('admin');
    const hello = await admin.command({ hello: 1 });
    const status = await admin.command({ replSetGetStatus: 1 });
    const videos = client.db('ott').collection('videos');
    const inserted = await videos.insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: i, title: `video ${i}` })));
    const found = await videos.find({}, { batchSize: 3 }).toArray();
    const updated = await videos.updateMany({ _id: { $lt: 3 } }, { $set: { genre: 'drama' } });
    const upserted = await videos.updateOne({ _id: 100 }, { $set: { title: 'new' } }, { upsert: true });
    const deleted = await videos.deleteOne({ _id: 6 });
    const dramaCount = await videos.countDocuments({ genre: 'drama' });
    const groups = await videos.aggregate([{ $group: { _id: '$genre', n: { $sum: 1 }, first: { $first: '$_id' } } }]).toArray();
    console.log(JSON.stringify({
      isWritablePrimary: hello.isWritablePrimary,
      setName: hello.setName,
      statusMembers: status.members.map(m => m.stateStr),
      insertedCount: inserted.insertedCount,
      foundIds: found.map(d => d._id),
      updatedMatched: updated.matchedCount,
      updatedModified: updated.modifiedCount,
      upsertedId: upserted.upsertedId,
      deletedCount: deleted.deletedCount,
      dramaCount,
      groups: groups.map(g => `${g._id}:${g.n}:${g.first}`).sort(),
    }));
  } finally {
    await client.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
