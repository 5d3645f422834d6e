using System.Globalization;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// The starting spec of a new customer (<c>ottkit new &lt;name&gt;</c>): every section present with its defaults
/// written out and a comment saying why, so the file reads as documentation and synthesizes without edits.
/// </summary>
/// <remarks>
/// The load balancer needs a certificate source to validate. The scaffold uses <see cref="ExampleCertificateArn"/>:
/// a well-formed ACM ARN in the environment's region with AWS's documentation account <c>111122223333</c> and an all-zero
/// certificate id. It passes validation and synthesis, and a deployment fails at the listener until it is replaced,
/// which the comment beside it says.
/// </remarks>
public static class SpecScaffold
{
    /// <summary>The region a new spec uses when none is given.</summary>
    public const string DefaultRegion = "ap-south-1";

    /// <summary>The account id AWS documentation uses in examples; it marks the certificate ARN as a placeholder.</summary>
    public const string ExampleAccountId = "111122223333";

    /// <summary>The placeholder certificate ARN of a new spec in <paramref name="region"/>.</summary>
    /// <param name="region">The environment's region.</param>
    /// <returns><c>arn:aws:acm:&lt;region&gt;:111122223333:certificate/00000000-0000-0000-0000-000000000000</c>.</returns>
    public static string ExampleCertificateArn(string region) =>
        $"arn:aws:acm:{region}:{ExampleAccountId}:certificate/00000000-0000-0000-0000-000000000000";

    /// <summary>The file name of a new customer's spec: <c>&lt;name&gt;.yaml</c>.</summary>
    /// <param name="name">The environment name.</param>
    /// <returns>The file name.</returns>
    public static string SpecFileName(string name) => name + ".yaml";

    /// <summary>
    /// Checks the environment name and region a scaffold is made for, with the spec validator's own rules, before any
    /// text is produced.
    /// </summary>
    /// <param name="name">The environment name.</param>
    /// <param name="region">The region.</param>
    /// <returns>The problems at <c>name</c> and <c>region</c>; empty when both are usable.</returns>
    public static IReadOnlyList<ValidationProblem> Check(string name, string region)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(region);
        var probe = new EnvironmentSpec { Name = name, Region = region };
        return [.. probe.Validate().Where(p => p.Path is "name" or "region")];
    }

    /// <summary>The commented spec of a new customer.</summary>
    /// <param name="name">The environment name (checked with <see cref="Check"/>).</param>
    /// <param name="region">The region (checked with <see cref="Check"/>).</param>
    /// <returns>The YAML text (LF line endings).</returns>
    /// <exception cref="OttKitValidationException">The name or the region is not usable.</exception>
    public static string Spec(string name, string region = DefaultRegion)
    {
        var problems = Check(name, region);
        if (problems.Count > 0)
        {
            throw new OttKitValidationException(problems);
        }

        return Fill(SpecTemplate, name, region);
    }

    /// <summary>The README of a new customer's environment repository: what it is and the commands to run.</summary>
    /// <param name="name">The environment name (checked with <see cref="Check"/>).</param>
    /// <param name="region">The region.</param>
    /// <param name="infrastructureWorkflow">Path of the infrastructure workflow in the repository.</param>
    /// <param name="serviceWorkflowsFolder">Folder holding the per-service workflows to copy into the application repositories.</param>
    /// <returns>The Markdown text (LF line endings).</returns>
    /// <exception cref="OttKitValidationException">The name or the region is not usable.</exception>
    public static string Readme(string name, string region, string infrastructureWorkflow, string serviceWorkflowsFolder)
    {
        var problems = Check(name, region);
        if (problems.Count > 0)
        {
            throw new OttKitValidationException(problems);
        }

        return Fill(ReadmeTemplate, name, region)
            .Replace("{{infrastructureWorkflow}}", infrastructureWorkflow, StringComparison.Ordinal)
            .Replace("{{serviceWorkflows}}", serviceWorkflowsFolder, StringComparison.Ordinal);
    }

    private static string Fill(string template, string name, string region) => template
        .Replace("\r\n", "\n", StringComparison.Ordinal)
        .Replace("{{name}}", name, StringComparison.Ordinal)
        .Replace("{{region}}", region, StringComparison.Ordinal)
        .Replace("{{certificateArn}}", ExampleCertificateArn(region), StringComparison.Ordinal)
        .Replace("{{exampleAccount}}", ExampleAccountId, StringComparison.Ordinal)
        .Replace("{{minHosts}}", SpecDefaults.MinHosts.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{{maxHosts}}", SpecDefaults.MaxHosts.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string SpecTemplate = """
        # {{name}}: the environment spec. Everything OttKit builds for this customer is derived from this file:
        # CloudFormation stacks, GitHub Actions workflows and the architecture diagram. Edit it, then run
        #   ottkit validate --spec {{name}}.yaml      (every problem at once, each with its path and fix)
        #   ottkit synth --spec {{name}}.yaml --out out   (templates, manifest.json, architecture.svg, workflows)
        # Every value below is the default unless the comment says otherwise. The defaults are the secure choice;
        # 'ottkit validate' lists every setting that weakens one, and most such switches live under "weakenings".

        # Environment name: lowercase letters, digits and hyphens (2-24). It prefixes every stack, resource name,
        # export and tag, so it cannot be changed after the first deployment.
        name: {{name}}

        # The home region: every stack deploys here, except the CloudFront-scope WAF, which AWS requires in us-east-1.
        region: {{region}}

        # The AWS account id. Optional; when set, validation checks ARNs (the certificate) belong to it.
        # accountId: "123456789012"

        # Tags on every resource that supports them (cost allocation, ownership). OttKit adds ottkit:environment itself.
        tags:
          customer: {{name}}

        # The VPC: subnets in three tiers (public, private for the services, isolated for data) in every zone.
        network:
          # The VPC range. Choose one that does not overlap the customer's other VPCs, offices or VPN client ranges,
          # so peering or a transit gateway stays possible later. A /16 leaves room for every subnet tier.
          vpcCidr: 10.0.0.0/16
          # One public, private and isolated (data) subnet per Availability Zone. 3 survives the loss of a zone with
          # capacity to spare, and gives the MongoDB replica set one member per zone.
          availabilityZones: 3
          # perAvailabilityZone: one NAT gateway per zone, so losing a zone never cuts the others off the internet.
          # single: one shared NAT gateway (cheaper, but one zone's failure stops all egress).
          natGateways: perAvailabilityZone
          # VPC interface endpoints for ECR, CloudWatch Logs, Secrets Manager, SSM...: AWS API traffic stays private
          # and does not pay NAT data charges.
          interfaceEndpoints: true

        # The ECS cluster's EC2 hosts (an Auto Scaling group managed by an ECS capacity provider).
        cluster:
          # ECS on EC2. Two types of one size, so a capacity shortage of one type in a zone does not block scaling.
          instanceTypes: [m6i.large, m6a.large]
          # At least {{minHosts}} hosts, so losing one leaves capacity running; the capacity provider adds hosts as tasks
          # need them, up to maxHosts.
          minHosts: {{minHosts}}
          desiredHosts: {{minHosts}}
          maxHosts: {{maxHosts}}

        # The internet-facing Application Load Balancer: HTTPS only (HTTP redirects), WAF in front, access logs on.
        loadBalancer:
          # HTTPS needs a certificate. REPLACE THIS EXAMPLE before deploying: it is a well-formed placeholder in
          # {{region}} (AWS's documentation account {{exampleAccount}}, an all-zero id) so that this file validates and
          # synthesizes as it is; a deployment fails at the HTTPS listener until it names a real ACM certificate.
          certificateArn: {{certificateArn}}
          # Or let OttKit create a DNS-validated certificate instead (remove certificateArn above):
          # domain: watch.example.com
          # hostedZoneId: Z0123456789EXAMPLE
          # Who may reach the load balancer. A public platform keeps 0.0.0.0/0; the WAF filters abuse.
          allowedClientCidrs: [0.0.0.0/0]

        # One entry per application (one ECS service, one ECR repository, one deploy workflow each).
        services:
          - name: web
            # The load balancer routes by path (and optionally host). '/*' catches everything the others do not.
            routing: { pathPatterns: ["/*"], priority: 1000 }
            # Tasks: at least 2 so one can fail or be replaced without downtime; scale out on requests per task.
            scaling: { minTasks: 2, desiredTasks: 2, maxTasks: 10 }
          - name: api
            # Container sizes in CPU units (1024 = one vCPU) and MiB; they must fit the smallest cluster instance type.
            cpu: 256
            memory: 512
            containerPort: 8080
            healthCheckPath: /health
            routing: { pathPatterns: ["/api/*"] }
            scaling: { minTasks: 2, desiredTasks: 2, maxTasks: 10, requestsPerTarget: 1000 }
            # Plain settings go in environment; anything secret goes in secrets (a Secrets Manager secret or an SSM
            # SecureString), never in environment -- validation rejects secret-looking names there.
            environment:
              NODE_ENV: production
            # secrets:
            #   MONGODB_URI: secretsmanager:{{name}}/mongodb-uri
            #   PAYMENT_KEY: ssm:/{{name}}/api/payment-key

        # The account's security and compliance baseline.
        security:
          # CloudTrail (all regions, log file validation, KMS) and AWS Config with managed rules stay on; turning either
          # off is a weakening that 'validate' lists.
          cloudTrail: true
          config: true
          # A bucket made public is made private again automatically (SSM Automation through AWS Config).
          autoRemediateS3PublicAccess: true
          # Audit and flow logs are kept a year; raise it when a regulator asks for more (never less than 365).
          logRetentionDays: 365

        # The MongoDB replica set on EC2: one member per zone in the isolated data subnets, port 27017 open only to the
        # services listed in clientServices and to the backup task (never to an address range). Remove the section for
        # a platform without MongoDB.
        database:
          # An odd number of voting members, at most one per zone: 3 keeps a majority through the loss of a zone.
          members: 3
          version: "7.0"
          # Memory-optimised: MongoDB's WiredTiger cache is sized to half of the instance's memory.
          instanceType: r6i.large
          # The separate, encrypted gp3 data volume; 3000 IOPS and 125 MiB/s are gp3's free baseline.
          volumeGiB: 100
          volumeIops: 3000
          volumeThroughput: 125
          # Only these services may connect (default: every service).
          clientServices: [api]

        # Infra and DB backups: the backup bucket (KMS, versioned, TLS-only), the daily MongoDB backup task, daily
        # snapshots of the data volumes (AWS Backup) and the artifacts bucket that keeps every deployed template.
        backups:
          # Days every backup, snapshot and template version is kept.
          retentionDays: 15
          # Daily, in UTC (HH:mm), outside the platform's busy hours.
          scheduleUtc: "02:00"
          # true locks backups against deletion for the retention (COMPLIANCE mode); it cannot be turned off later.
          objectLock: false

        # SSM Patch Manager: security and critical patches approved after a soak time and installed in a weekly
        # window (MongoDB members one at a time), plus a daily compliance scan.
        patching:
          approveAfterDays: 7
          maintenanceWindow: cron(0 3 ? * SUN *)
          windowHours: 3
          timeZone: UTC

        # Alarms (5xx, latency, unhealthy targets, tasks below desired, host capacity, MongoDB hosts, backups, audit
        # delivery) e-mail these addresses; the dashboard '{{name}}-live' shows them. REPLACE the example address.
        monitoring:
          alarmEmails: [ops@example.com]

        # Media behind CloudFront (private S3 bucket with Origin Access Control; the WAF lives in us-east-1).
        # media:
        #   aliases: [media.example.com]
        #   certificateArn: arn:aws:acm:us-east-1:{{exampleAccount}}:certificate/00000000-0000-0000-0000-000000000000
        #   # or, instead of certificateArn: hostedZoneId: Z0123456789EXAMPLE (a DNS-validated certificate is requested)

        # Administrators reach the VPC through OpenVPN on a custom UDP port, from these ranges only. Without it,
        # Session Manager still reaches every host with no open port.
        # adminAccess:
        #   allowedCidrs: [203.0.113.0/24]
        #   vpnPort: 11940
        #   sshPort: 2222
        #   clientCidr: 172.31.240.0/24

        # People's roles {{name}}-administrator, {{name}}-developer and {{name}}-readonly, assumable only with MFA and
        # scoped to this environment; they reach hosts through Session Manager (document {{name}}-SessionManagerRunShell,
        # every session logged). List IAM user or role ARNs or trusted account ids. REPLACE the example principals.
        # access:
        #   administrators: [arn:aws:iam::{{exampleAccount}}:role/platform-admins]
        #   developers: [arn:aws:iam::{{exampleAccount}}:role/developers]
        #   readOnly: [arn:aws:iam::{{exampleAccount}}:role/auditors]
        #   maxSessionHours: 4

        # GitHub Actions deploys through OIDC (no access keys): the roles {{name}}-ci-deploy and {{name}}-ci-plan
        # trust exactly these repositories, branches and GitHub environments.
        # ci:
        #   owner: your-github-org
        #   repositories: [{{name}}-platform, web, api]
        #   branches: [main]
        #   environments: [{{name}}]

        # Live events raise the service floors (and the host floor with them) ahead of a known peak and restore them
        # afterwards (times in UTC). Every task takes one network interface: the default 10 m6i.large hosts place 20
        # tasks, so a higher ceiling needs more hosts or ENI trunking (cluster.eniTrunking, see docs/blueprint.md).
        # liveEvents:
        #   - name: launch
        #     startUtc: 2030-01-15T12:00:00Z
        #     endUtc: 2030-01-15T18:00:00Z
        #     preWarmMinutes: 60
        #     restoreAfterMinutes: 15
        #     services:
        #       - { service: web, minTasks: 6, maxTasks: 10 }
        #       - { service: api, minTasks: 6, maxTasks: 10 }

        # Recurring peaks (school hours, evening prime time), evaluated in the given time zone.
        # scheduledScaling:
        #   - name: prime-time
        #     startCron: cron(0 18 ? * * *)
        #     endCron: cron(0 23 ? * * *)
        #     timeZone: Asia/Kolkata
        #     services:
        #       - { service: web, minTasks: 4, maxTasks: 10 }

        # Explicit departures from the secure defaults. Each one shows in 'ottkit validate' and in the plan.
        # weakenings:
        #   disableLoadBalancerDeletionProtection: false
        #   disableWebApplicationFirewall: false
        #   allowSecretLikeEnvironmentVariables: false
        #   disableDatabaseTls: false

        """;

    private const string ReadmeTemplate = """
        # {{name}} platform

        This repository describes the **{{name}}** environment on AWS ({{region}}) in one file, [`{{name}}.yaml`]({{name}}.yaml).
        [OttKit](https://www.nuget.org/packages/Workmates.OttKit.Cli) turns it into CloudFormation stacks (network,
        ECS cluster, load balancer, one stack per service, security baseline), GitHub Actions workflows and an
        architecture diagram. Nothing is edited by hand in AWS: change the spec, review the plan, merge.

        ## Before the first deployment

        1. Replace the example certificate ARN in `loadBalancer.certificateArn` (account {{exampleAccount}} marks it as a
           placeholder) with an ACM certificate in {{region}}, or set `loadBalancer.domain` and `hostedZoneId` instead.
        2. Check `network.vpcCidr` does not overlap the customer's other networks.
        3. List the real services under `services` (name, routing, sizes, secrets).

        ## Commands

        ```bash
        dotnet tool install --global Workmates.OttKit.Cli       # the ottkit command

        ottkit validate --spec {{name}}.yaml                     # every problem at once, with its path and fix
        ottkit synth --spec {{name}}.yaml --out out              # templates, manifest.json, architecture.svg, workflows
        ottkit diagram --spec {{name}}.yaml --out architecture.svg
        ```

        ## Pipelines

        - `{{infrastructureWorkflow}}` runs here: on a pull request it validates the spec and plans the change sets; on
          merge to the default branch it deploys the stacks behind the GitHub environment `{{name}}` (add required
          reviewers there to gate production).
        - `{{serviceWorkflows}}/` holds one deploy workflow per service, under the application repository it belongs to
          (`<owner>/<repository>/.github/workflows/deploy-<service>.yml`). Copy each into its repository: it builds the image,
          pushes it to ECR with the commit SHA as tag, and rolls the ECS service out, failing (and rolling back) when the
          deployment fails. On its first run it also creates the service's stack, which the infrastructure run leaves
          waiting until the image exists.
        - `.github/workflows/backup-image-{{name}}.yml` (with a database) builds the backup task's image for the cluster's
          CPU architecture and creates the database-backup stack on its first run: dispatch it once after the first
          infrastructure run.

        Before the first deploy, replace every placeholder (`ottkit validate --strict` lists them: the all-zero
        certificate ids, `example.com`, documentation account ids) with your own values.

        AWS access is through GitHub OIDC and IAM roles only; no access keys are stored anywhere. Regenerate the workflows
        with `ottkit synth` after changing the services.

        """;
}
