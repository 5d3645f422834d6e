using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class InstanceTypesTests
{
    [Theory]
    [InlineData("m6i.large", 2, 8192, CpuArchitecture.X64)]
    [InlineData("c7g.xlarge", 4, 8192, CpuArchitecture.Arm64)]
    [InlineData("r6i.2xlarge", 8, 65536, CpuArchitecture.X64)]
    [InlineData("t3.medium", 2, 4096, CpuArchitecture.X64)]
    [InlineData("m7g.4xlarge", 16, 65536, CpuArchitecture.Arm64)]
    public void TryGet_KnownType_HasItsPublishedSize(string name, int vcpus, int memoryMiB, CpuArchitecture architecture)
    {
        Assert.True(InstanceTypes.TryGet(name, out var info));
        Assert.Equal((vcpus, memoryMiB, architecture), (info.VCpus, info.MemoryMiB, info.Architecture));
    }

    [Fact]
    public void SchedulableMemory_LeavesTenPercentForTheHost() =>
        Assert.Equal((2048, 7373), (InstanceTypes.TryGet("m6i.large", out var info) ? info.CpuUnits : 0, info.SchedulableMemoryMiB));

    [Fact]
    public void TryGet_UnknownType_IsFalse() => Assert.False(InstanceTypes.TryGet("m6i.huge", out _));

    [Fact]
    public void All_IsOrderedByName() => Assert.Equal(InstanceTypes.All.Select(t => t.Name).Order(StringComparer.Ordinal), InstanceTypes.All.Select(t => t.Name));
}
