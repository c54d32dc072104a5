// TorchSharp's random generator is process-global: tests that build two modules from one seed (and the determinism
// tests of the trainer) must not interleave with other tests drawing from it, so this assembly runs its tests serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
