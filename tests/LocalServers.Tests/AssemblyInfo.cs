// The tests start real servers on a small machine: one at a time, so that none is starved of CPU into a timeout.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
