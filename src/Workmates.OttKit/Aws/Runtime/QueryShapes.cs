using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// What the query protocol needs to know about each model type, read by reflection once per owner (an operation's
/// request marshaller or response unmarshaller, which live as long as the operation) instead of on every call: the
/// modelled members with compiled getters and setters, and how to read a value of the type. Reading a
/// <see cref="System.Text.Json.Serialization.JsonPropertyNameAttribute"/> instantiates it anew each time, and the
/// runtime's own reflection caches are weakly held, so a rehearsal of thousands of calls kept re-reading attributes
/// and re-emitting (then finalizing) property invokers. The answer for a type never changes, so a cache can only
/// return what the reflection would.
/// </summary>
internal sealed class QueryShapes
{
    private readonly ConcurrentDictionary<Type, QueryType> _types = new();

    /// <summary>The plan for <paramref name="type"/> (built on first use).</summary>
    public QueryType Of(Type type) => _types.GetOrAdd(type, static t => new QueryType(t));
}

/// <summary>How a query-protocol value of one type is read.</summary>
internal enum QueryKind
{
    String,
    Int,
    Long,
    Double,
    Bool,
    DateTime,
    List,
    Map,
    Structure,
}

/// <summary>One model type as the query protocol reads and writes it.</summary>
internal sealed class QueryType
{
    private QueryMember[]? _members;
    private Func<object>? _create;

    public QueryType(Type type)
    {
        Type = type;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        Target = target;
        Kind = target == typeof(string) ? QueryKind.String
            : target == typeof(int) ? QueryKind.Int
            : target == typeof(long) ? QueryKind.Long
            : target == typeof(double) ? QueryKind.Double
            : target == typeof(bool) ? QueryKind.Bool
            : target == typeof(DateTime) ? QueryKind.DateTime
            : target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>) ? QueryKind.List
            : target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? QueryKind.Map
            : QueryKind.Structure;
        Arguments = Kind is QueryKind.List or QueryKind.Map ? target.GetGenericArguments() : [];
    }

    /// <summary>The type as declared.</summary>
    public Type Type { get; }

    /// <summary>The type without <see cref="Nullable{T}"/>.</summary>
    public Type Target { get; }

    /// <summary>How a value is read.</summary>
    public QueryKind Kind { get; }

    /// <summary>The item type of a list; the key and value types of a map; empty otherwise.</summary>
    public IReadOnlyList<Type> Arguments { get; }

    /// <summary>The modelled members (properties with a wire name), in declaration order.</summary>
    public IReadOnlyList<QueryMember> Members => _members ??= [.. AwsQueryProtocol.ModelledProperties(Target).Select(p => new QueryMember(p.Property, p.WireName))];

    /// <summary>A new instance (a structure, list or map) by its parameterless constructor.</summary>
    public object Create() => (_create ??= Expression.Lambda<Func<object>>(Expression.Convert(Expression.New(Target), typeof(object))).Compile())();

    /// <summary>A new list as its non-generic interface.</summary>
    public IList CreateList() => (IList)Create();

    /// <summary>A new map as its non-generic interface.</summary>
    public IDictionary CreateMap() => (IDictionary)Create();
}

/// <summary>One modelled member: its property, wire name and compiled accessors.</summary>
internal sealed class QueryMember
{
    private readonly PropertyInfo _property;
    private Func<object, object?>? _get;
    private Action<object, object?>? _set;

    public QueryMember(PropertyInfo property, string wireName)
    {
        _property = property;
        WireName = wireName;
    }

    /// <summary>The member's name on the wire.</summary>
    public string WireName { get; }

    /// <summary>The property's type.</summary>
    public Type PropertyType => _property.PropertyType;

    /// <summary>Reads the member of <paramref name="shape"/>.</summary>
    public object? Get(object shape) => (_get ??= CompileGetter(_property))(shape);

    /// <summary>Sets the member of <paramref name="shape"/>.</summary>
    public void Set(object shape, object? value) => (_set ??= CompileSetter(_property))(shape, value);

    private static Func<object, object?> CompileGetter(PropertyInfo property)
    {
        if (property.GetMethod is null || property.DeclaringType is null)
        {
            return property.GetValue;
        }

        var shape = Expression.Parameter(typeof(object), "shape");
        var read = Expression.Property(Expression.Convert(shape, property.DeclaringType), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), shape).Compile();
    }

    private static Action<object, object?> CompileSetter(PropertyInfo property)
    {
        if (property.SetMethod is null || property.DeclaringType is null)
        {
            return property.SetValue;
        }

        var shape = Expression.Parameter(typeof(object), "shape");
        var value = Expression.Parameter(typeof(object), "value");
        var write = Expression.Assign(Expression.Property(Expression.Convert(shape, property.DeclaringType), property), Expression.Convert(value, property.PropertyType));
        return Expression.Lambda<Action<object, object?>>(write, shape, value).Compile();
    }
}
