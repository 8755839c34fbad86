// TorchSharp's default random generator (torch.manual_seed) is process-wide: trainings that run at the same time would
// draw from it in an unpredictable order, so the determinism tests need the tests of this assembly to run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
