using System.Text;
using static Workmates.OttKit.Tests.Simulators.CfnTestBed;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class CloudFormationTemplateUrlTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task TemplateUrl_OnS3rver_CreatesTheStackFromTheUploadedObject()
    {
        using var s3 = await S3rverProcess.StartAsync("artifacts");
        using var http = new HttpClient();
        var objectUrl = new Uri(s3.Endpoint, "artifacts/media/v1.json");
        using (var put = await http.PutAsync(objectUrl, new StringContent(BaseTemplate, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            Assert.True(put.IsSuccessStatusCode, $"PUT to s3rver answered {(int)put.StatusCode}");
        }

        await using var bed = await StartAsync();
        await bed.Client.QueryOkAsync("CreateChangeSet", ("StackName", "media"), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateURL", objectUrl.ToString()));
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var status = await bed.ExecuteAsync("media", "c", "s3-1");
        var template = await bed.Client.QueryOkAsync("GetTemplate", ("StackName", "media"));

        Assert.Equal("CREATE_COMPLETE", status);
        Assert.Equal(BaseTemplate, Field(template, "TemplateBody"));
    }
}
