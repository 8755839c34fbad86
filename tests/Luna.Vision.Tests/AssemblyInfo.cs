// TorchSharp's native state and the ONNX sessions are process-wide; the tests that train run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
