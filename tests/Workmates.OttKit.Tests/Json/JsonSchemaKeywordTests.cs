using System.Text.Json.Nodes;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.Tests.Json;

/// <summary>One behaviour of each keyword of the JSON Schema engine, with plain JSON (no CloudFormation rules).</summary>
public sealed class JsonSchemaKeywordTests
{
    private static IReadOnlyList<SchemaError> Errors(string schema, string instance) =>
        JsonSchema.Compile(JsonNode.Parse(schema)).Validate(JsonNode.Parse(instance));

    private static void Valid(string schema, string instance)
    {
        var errors = Errors(schema, instance);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    private static SchemaError Invalid(string schema, string instance, string path, string keyword)
    {
        var errors = Errors(schema, instance);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(keyword, error.Keyword);
        return error;
    }

    [Theory]
    [InlineData("""{"type":"string"}""", "\"a\"")]
    [InlineData("""{"type":"integer"}""", "3")]
    [InlineData("""{"type":"integer"}""", "3.0")]
    [InlineData("""{"type":"number"}""", "3.5")]
    [InlineData("""{"type":["object","string"]}""", "{}")]
    [InlineData("""{"type":"null"}""", "null")]
    [InlineData("""{"type":"boolean"}""", "false")]
    public void Type_accepts_matching_values(string schema, string instance) => Valid(schema, instance);

    [Theory]
    [InlineData("""{"type":"integer"}""", "3.5")]
    [InlineData("""{"type":"integer"}""", "\"3\"")]
    [InlineData("""{"type":"string"}""", "3")]
    [InlineData("""{"type":["object","string"]}""", "[]")]
    [InlineData("""{"type":"boolean"}""", "\"true\"")]
    public void Type_rejects_other_values_with_exact_types(string schema, string instance) => Invalid(schema, instance, "", "type");

    [Fact]
    public void Properties_apply_to_present_properties_only() =>
        Invalid("""{"properties":{"a":{"type":"string"},"b":{"type":"string"}}}""", """{"a":1}""", "a", "type");

    [Fact]
    public void Required_reports_each_missing_property_at_the_object()
    {
        var errors = Errors("""{"required":["a","b"]}""", """{"a":1}""");

        Assert.Equal("missing required property 'b'; add it", Assert.Single(errors).Message);
    }

    [Fact]
    public void AdditionalProperties_false_reports_the_unknown_name_and_closest_match()
    {
        var error = Invalid("""{"properties":{"VersioningConfiguration":{},"Tags":{}},"additionalProperties":false}""", """{"Versioning":{}}""", "Versioning", "additionalProperties");

        Assert.Equal("unknown property 'Versioning' (closest match VersioningConfiguration; allowed: Tags, VersioningConfiguration); remove or rename it", error.Message);
    }

    [Fact]
    public void AdditionalProperties_schema_applies_to_undeclared_properties() =>
        Invalid("""{"properties":{"a":{}},"additionalProperties":{"type":"integer"}}""", """{"a":"x","b":"y"}""", "b", "type");

    [Fact]
    public void PatternProperties_apply_to_matching_names_and_count_as_declared()
    {
        const string schema = """{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}""";
        Valid(schema, """{"x-a":"1"}""");
        Invalid(schema, """{"x-a":1}""", "x-a", "type");
        Invalid(schema, """{"y":1}""", "y", "additionalProperties");
    }

    [Fact]
    public void Enum_compares_values_by_json_equality()
    {
        Valid("""{"enum":[1,"a",{"k":[1]}]}""", """{"k":[1.0]}""");
        var error = Invalid("""{"enum":["Enabled","Suspended"]}""", "\"Enable\"", "", "enum");
        Assert.Equal("value 'Enable' is not one of: Enabled, Suspended (did you mean 'Enabled'?)", error.Message);
    }

    [Fact]
    public void Const_requires_one_exact_value()
    {
        Valid("""{"const":"HASH"}""", "\"HASH\"");
        Assert.Equal("value 'RANGE' must be 'HASH'", Invalid("""{"const":"HASH"}""", "\"RANGE\"", "", "const").Message);
    }

    [Fact]
    public void Items_schema_applies_to_every_element_with_its_index() =>
        Invalid("""{"items":{"type":"object","required":["Key"]}}""", """[{"Key":1},{"Key":2},{"Value":3}]""", "[2]", "required");

    [Fact]
    public void Items_tuple_and_additionalItems_false_limit_the_length()
    {
        const string schema = """{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}""";
        Valid(schema, """["a",1]""");
        Invalid(schema, """["a","b"]""", "[1]", "type");
        Invalid(schema, """["a",1,true]""", "[2]", "additionalItems");
    }

    [Fact]
    public void PrefixItems_apply_by_position_alongside_items()
    {
        const string schema = """{"items":{"type":"object"},"prefixItems":[{"properties":{"k":{"const":"HASH"}}},{"properties":{"k":{"const":"RANGE"}}}]}""";
        Valid(schema, """[{"k":"HASH"},{"k":"RANGE"}]""");
        Invalid(schema, """[{"k":"HASH"},{"k":"HASH"}]""", "[1].k", "const");
        Invalid(schema, """[{"k":"HASH"},1]""", "[1]", "type");
    }

    [Fact]
    public void Ref_resolves_definitions_and_keeps_the_instance_path() =>
        Invalid("""{"properties":{"Tags":{"type":"array","items":{"$ref":"#/definitions/Tag"}}},"definitions":{"Tag":{"properties":{"Key":{"type":"string"}}}}}""", """{"Tags":[{"Key":"a"},{"Key":"b"},{"Key":7}]}""", "Tags[2].Key", "type");

    [Fact]
    public void Ref_resolves_properties_pointers_and_escaped_segments()
    {
        const string schema = """{"properties":{"a/b":{"type":"string"},"c":{"$ref":"#/properties/a~1b"},"t~":{"type":"integer"},"d":{"$ref":"#/properties/t~0"},"e":{"$ref":"#/definitions/with%20space"}},"definitions":{"with space":{"type":"boolean"}}}""";
        Invalid(schema, """{"c":1}""", "c", "type");
        Invalid(schema, """{"d":"x"}""", "d", "type");
        Invalid(schema, """{"e":"x"}""", "e", "type");
    }

    [Fact]
    public void Recursive_refs_compile_once_and_validate_deep_values() =>
        Invalid("""{"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"#/definitions/node"},"v":{"type":"integer"}}}},"$ref":"#/definitions/node"}""", """{"next":{"next":{"v":"x"}}}""", "next.next.v", "type");

    [Fact]
    public void Unresolvable_refs_become_compile_warnings_not_failures()
    {
        var schema = JsonSchema.Compile(JsonNode.Parse("""{"properties":{"a":{"$ref":"policy#/definitions/x"},"b":{"$ref":"#/definitions/missing"}}}"""));

        Assert.Equal(2, schema.Warnings.Count);
        Assert.Empty(schema.Validate(JsonNode.Parse("""{"a":1,"b":2}""")));
    }

    [Fact]
    public void OneOf_fails_when_no_alternative_matches_and_shows_the_closest()
    {
        var error = Invalid("""{"oneOf":[{"type":"string"},{"type":"object","required":["uses"]}]}""", """{"run":1}""", "", "oneOf");

        Assert.Equal("value matches none of the 2 allowed alternatives (oneOf); closest: missing required property 'uses'; add it", error.Message);
    }

    [Fact]
    public void OneOf_fails_when_two_alternatives_match() =>
        Assert.Contains("matches alternatives #1 and #2", Invalid("""{"oneOf":[{"required":["a"]},{"required":["b"]}]}""", """{"a":1,"b":2}""", "", "oneOf").Message, StringComparison.Ordinal);

    [Fact]
    public void OneOf_ties_created_by_lenient_scalars_are_settled_by_exact_types()
    {
        var schema = JsonSchema.Compile(JsonNode.Parse("""{"oneOf":[{"type":"string"},{"type":"integer"}]}"""));

        Assert.Empty(schema.Validate(JsonValue.Create("80"), Workmates.OttKit.CloudFormation.Schema.CloudFormationDialect.Lenient));
        Assert.Empty(schema.Validate(JsonValue.Create(80), Workmates.OttKit.CloudFormation.Schema.CloudFormationDialect.Lenient));
    }

    [Fact]
    public void AnyOf_passes_when_any_alternative_matches()
    {
        Valid("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "5");
        Invalid("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "true", "", "anyOf");
    }

    [Fact]
    public void AllOf_reports_the_errors_of_each_failing_subschema()
    {
        var errors = Errors("""{"allOf":[{"required":["a"]},{"required":["b"]}]}""", "{}");

        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Not_rejects_a_matching_value()
    {
        Valid("""{"not":{"enum":["rdsadmin"]}}""", "\"admin2\"");
        Invalid("""{"not":{"enum":["rdsadmin"]}}""", "\"rdsadmin\"", "", "not");
    }

    [Fact]
    public void If_then_else_chooses_by_the_condition()
    {
        const string schema = """{"if":{"properties":{"Engine":{"const":"postgres"}},"required":["Engine"]},"then":{"required":["Port"]},"else":{"required":["Name"]}}""";
        Valid(schema, """{"Engine":"postgres","Port":5432}""");
        Assert.Contains("'Port'", Invalid(schema, """{"Engine":"postgres"}""", "", "required").Message, StringComparison.Ordinal);
        Assert.Contains("'Name'", Invalid(schema, """{"Engine":"mysql"}""", "", "required").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependencies_array_form_requires_the_listed_properties() =>
        Assert.Equal("'a' requires 'b' to be set too; add 'b' or remove 'a'", Invalid("""{"dependencies":{"a":["b"]}}""", """{"a":1}""", "", "dependentRequired").Message);

    [Fact]
    public void Dependencies_schema_form_applies_when_the_property_is_present()
    {
        const string schema = """{"dependencies":{"a":{"required":["c"]}}}""";
        Valid(schema, """{"b":1}""");
        Invalid(schema, """{"a":1}""", "", "required");
    }

    [Fact]
    public void DependentRequired_requires_the_listed_properties() =>
        Invalid("""{"dependentRequired":{"AcmCertificateArn":["SslSupportMethod"]}}""", """{"AcmCertificateArn":"x"}""", "", "dependentRequired");

    [Fact]
    public void DependentExcluded_reports_a_symmetric_pair_once() =>
        Assert.Equal(
            "'CustomOriginConfig' cannot be used together with 'S3OriginConfig'; remove one of them",
            Invalid("""{"dependentExcluded":{"CustomOriginConfig":["S3OriginConfig"],"S3OriginConfig":["CustomOriginConfig"]}}""", """{"S3OriginConfig":{},"CustomOriginConfig":{}}""", "", "dependentExcluded").Message);

    [Fact]
    public void RequiredXor_needs_exactly_one()
    {
        const string schema = """{"requiredXor":["CidrBlock","Ipv4IpamPoolId"]}""";
        Valid(schema, """{"CidrBlock":"x"}""");
        Assert.Equal("set exactly one of: CidrBlock, Ipv4IpamPoolId", Invalid(schema, "{}", "", "requiredXor").Message);
        Assert.Contains("(found CidrBlock, Ipv4IpamPoolId)", Invalid(schema, """{"CidrBlock":"x","Ipv4IpamPoolId":"y"}""", "", "requiredXor").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredOr_needs_at_least_one()
    {
        const string schema = """{"requiredOr":["EventPattern","ScheduleExpression"]}""";
        Valid(schema, """{"EventPattern":{},"ScheduleExpression":"rate(1 day)"}""");
        Invalid(schema, "{}", "", "requiredOr");
    }

    [Fact]
    public void Pattern_is_searched_not_anchored_unless_the_pattern_anchors()
    {
        Valid("""{"pattern":"b"}""", "\"abc\"");
        Invalid("""{"pattern":"^b"}""", "\"abc\"", "", "pattern");
    }

    [Fact]
    public void Pattern_dollar_does_not_match_before_a_trailing_newline_as_in_ECMA() =>
        Invalid("""{"pattern":"^[a-z]+$"}""", "\"abc\\n\"", "", "pattern");

    [Fact]
    public void Pattern_digit_class_is_ascii_only_as_in_ECMA() =>
        Invalid("""{"pattern":"^\\d+$"}""", "\"١٢٣\"", "", "pattern");

    [Fact]
    public void Pattern_identity_escapes_and_class_shorthand_before_a_dash_are_translated()
    {
        Valid("""{"pattern":"^[a-z\\_]+$"}""", "\"a_b\"");
        Valid("""{"pattern":"^[\\w-.]+$"}""", "\"a-b.c\"");
        Invalid("""{"pattern":"^[\\w-.]+$"}""", "\"a b\"", "", "pattern");
    }

    [Fact]
    public void A_pattern_that_cannot_compile_is_recorded_and_never_fails_a_value()
    {
        var schema = JsonSchema.Compile(JsonNode.Parse("""{"pattern":"(unclosed"}"""));

        Assert.Contains("(unclosed", Assert.Single(schema.Warnings), StringComparison.Ordinal);
        Assert.Empty(schema.Validate(JsonValue.Create("anything")));
    }

    [Fact]
    public void Lengths_count_unicode_code_points_not_utf16_units()
    {
        Valid("""{"maxLength":2}""", "\"😀😀\"");
        Invalid("""{"maxLength":2}""", "\"😀😀😀\"", "", "maxLength");
        Invalid("""{"minLength":3}""", "\"😀😀\"", "", "minLength");
    }

    [Theory]
    [InlineData("""{"minimum":1}""", "0")]
    [InlineData("""{"maximum":1}""", "1.5")]
    [InlineData("""{"exclusiveMinimum":1}""", "1")]
    [InlineData("""{"exclusiveMaximum":1}""", "1")]
    [InlineData("""{"minimum":1,"exclusiveMinimum":true}""", "1")]
    [InlineData("""{"multipleOf":0.5}""", "1.2")]
    public void Numeric_ranges_are_enforced(string schema, string instance) => Invalid(schema, instance, "", "range");

    [Fact]
    public void Numeric_bounds_are_inclusive() => Valid("""{"minimum":1,"maximum":2}""", "2");

    [Fact]
    public void Item_counts_are_enforced()
    {
        Invalid("""{"minItems":1}""", "[]", "", "minItems");
        Invalid("""{"maxItems":1}""", "[1,2]", "", "maxItems");
    }

    [Fact]
    public void UniqueItems_compares_numbers_by_value_and_objects_regardless_of_order()
    {
        Invalid("""{"uniqueItems":true}""", "[1,1.0]", "", "uniqueItems");
        Invalid("""{"uniqueItems":true}""", """[{"a":1,"b":2},{"b":2,"a":1}]""", "", "uniqueItems");
        Valid("""{"uniqueItems":true}""", """[1,"1",true]""");
    }

    [Fact]
    public void Property_counts_are_enforced()
    {
        Invalid("""{"minProperties":1}""", "{}", "", "minProperties");
        Invalid("""{"maxProperties":1}""", """{"a":1,"b":2}""", "", "maxProperties");
    }

    [Fact]
    public void Format_is_an_annotation() => Valid("""{"format":"ipv4-network"}""", "\"not an ip\"");

    [Fact]
    public void Boolean_schemas_allow_everything_or_nothing()
    {
        Valid("true", """{"a":1}""");
        Invalid("false", "1", "", "false");
    }

    [Fact]
    public void Paths_quote_names_that_are_not_plain() =>
        Invalid("""{"properties":{"a.b":{"type":"string"}}}""", """{"a.b":1}""", "['a.b']", "type");

    [Fact]
    public void A_yes_no_check_agrees_with_full_validation()
    {
        var schema = JsonSchema.Compile(JsonNode.Parse("""{"properties":{"a":{"enum":[1]}}}"""));

        Assert.True(schema.IsValid(JsonNode.Parse("""{"a":1}""")));
        Assert.False(schema.IsValid(JsonNode.Parse("""{"a":2}""")));
    }

    [Fact]
    public void Values_created_in_code_are_read_like_parsed_ones()
    {
        var schema = JsonSchema.Compile(JsonNode.Parse("""{"properties":{"n":{"type":"integer","maximum":10},"s":{"maxLength":2}}}"""));

        Assert.Equal(["n", "s"], schema.Validate(new JsonObject { ["n"] = 11L, ["s"] = "abc" }).Select(e => e.Path));
        Assert.Empty(schema.Validate(new JsonObject { ["n"] = 3, ["s"] = "ab" }));
    }
}
