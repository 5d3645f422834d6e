// Differential oracle for the simulators' IAM policy evaluator: evaluates each case with @cloud-copilot/iam-simulate
// (AGPL-3.0: test tooling only, never shipped). Usage: node iam-simulate-driver.cjs <cases.json> <results.json>
// A case: { principal, accountId, action, resource, context, policies: [policy documents] }.
// A result: "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | "error: <message>".
const fs = require('fs');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

(async () => {
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const results = [];
  for (const c of cases) {
    try {
      const response = await runSimulation({
        identityPolicies: c.policies.map((policy, i) => ({ name: `p${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action: c.action,
          principal: c.principal,
          resource: { accountId: c.accountId, resource: c.resource },
          contextVariables: c.context || {},
        },
      }, {});
      results.push(response.overallResult ?? `error: ${JSON.stringify(response.errors ?? response).slice(0, 300)}`);
    } catch (e) {
      results.push(`error: ${e.message}`);
    }
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results));
})();
