namespace Workmates.OttKit;

/// <summary>
/// The base of every exception OttKit throws for a failure of its own, so that one <c>catch (OttKitException)</c> sees
/// them all. Each failure family derives from it: <see cref="Blueprint.OttKitValidationException"/> (a spec or options
/// mistake: the message names the path and the fix), <see cref="OttKitTemplateException"/> (templates that cannot be
/// read, checked, ordered or written), <see cref="OttKitDeploymentException"/> (deploy, rollback, patch),
/// <see cref="OttKitMongoException"/> (MongoDB connection, health, BSON, backup and restore) and
/// <see cref="OttKitAwsException"/> (an AWS operation that ended in failure). Errors that AWS itself answers
/// (<c>EcsException</c>, <c>CloudFormationException</c>, …) stay <see cref="Amazon.Runtime.AmazonServiceException"/>s,
/// because the AWS SDK's retry and error handling recognise only that base.
/// </summary>
public abstract class OttKitException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected OttKitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and, where the user can act, how to fix it.</param>
    protected OttKitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and, where the user can act, how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OttKitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A CloudFormation template could not be read, checked against its rules or the registry schemas, ordered into
/// stacks, or written out: <see cref="CloudFormation.TemplateValidationException"/>,
/// <see cref="CloudFormation.TemplateFormatException"/>, <see cref="CloudFormation.Schema.TemplateSchemaException"/>,
/// <see cref="CloudFormation.Schema.SchemaCatalogException"/>, <see cref="CloudFormation.DuplicateLogicalIdException"/>,
/// <see cref="Blueprint.StackOrderException"/> and <see cref="Outputs.OutputWriteException"/>.
/// </summary>
public abstract class OttKitTemplateException : OttKitException
{
    /// <summary>Creates the exception.</summary>
    protected OttKitTemplateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    protected OttKitTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OttKitTemplateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A deploy, rollback or patch operation could not start or did not succeed:
/// <see cref="Deployment.StackDeploymentException"/>, <see cref="Deployment.ServiceDeploymentException"/> and
/// <see cref="Patching.PatchException"/>.
/// </summary>
public abstract class OttKitDeploymentException : OttKitException
{
    /// <summary>Creates the exception.</summary>
    protected OttKitDeploymentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and the fix.</param>
    protected OttKitDeploymentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and the fix.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OttKitDeploymentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A MongoDB operation failed: the connection, authentication, configuration, a command, server selection or
/// authorization (<c>Mongo.Client</c>, <c>Mongo.Health</c>), a BSON or <c>replSetGetStatus</c> document that cannot be
/// read, or a backup, restore or verify (<see cref="Mongo.Backup.MongoBackupException"/>, its archive, manifest,
/// checksum and storage failures).
/// </summary>
public abstract class OttKitMongoException : OttKitException
{
    /// <summary>Creates the exception.</summary>
    protected OttKitMongoException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    protected OttKitMongoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OttKitMongoException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An AWS operation OttKit drives ended in failure without AWS answering an error for it, such as a waiter that
/// matched a failure state or ran out of attempts (<see cref="Aws.AwsWaiterException"/>). Errors AWS answers are
/// <see cref="Amazon.Runtime.AmazonServiceException"/>s (see <see cref="OttKitException"/>).
/// </summary>
public abstract class OttKitAwsException : OttKitException
{
    /// <summary>Creates the exception.</summary>
    protected OttKitAwsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    protected OttKitAwsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OttKitAwsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
