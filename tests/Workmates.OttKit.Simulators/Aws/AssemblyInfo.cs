using System.Runtime.CompilerServices;

// The simulators' own tests exercise the template engine and change calculator directly.
[assembly: InternalsVisibleTo("Workmates.OttKit.Tests")]
