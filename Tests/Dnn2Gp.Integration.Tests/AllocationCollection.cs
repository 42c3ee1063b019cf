using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// Tests that measure process-wide allocations (GC.GetTotalAllocatedBytes) run in this collection, which xunit runs on
/// its own after the parallel ones, so no other test allocates during their measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation measurements";
}
