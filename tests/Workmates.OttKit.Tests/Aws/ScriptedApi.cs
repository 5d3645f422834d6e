using System.Reflection;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>A fake of any of the API interfaces: each call is recorded and answered by a per-operation script.</summary>
#pragma warning disable CA1852 // DispatchProxy derives a runtime subclass, so this type must stay unsealed.
internal class ScriptedApi : DispatchProxy
#pragma warning restore CA1852
{
    private readonly Dictionary<string, Func<object, object>> _scripts = new(StringComparer.Ordinal);

    public List<(string Operation, object Request)> Calls { get; } = [];

    public static (TApi Api, ScriptedApi Script) Create<TApi>()
        where TApi : class
    {
        var api = DispatchProxy.Create<TApi, ScriptedApi>();
        return (api, (ScriptedApi)(object)api);
    }

    public ScriptedApi On<TRequest, TResponse>(string operation, Func<TRequest, TResponse> answer)
    {
        _scripts[operation + "Async"] = request => Task.FromResult(answer((TRequest)request));
        return this;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        ((CancellationToken)args![1]!).ThrowIfCancellationRequested();
        Calls.Add((targetMethod.Name[..^"Async".Length], args[0]!));
        return _scripts.TryGetValue(targetMethod.Name, out var script)
            ? script(args[0]!)
            : throw new NotSupportedException($"{targetMethod.Name} is not scripted");
    }
}
