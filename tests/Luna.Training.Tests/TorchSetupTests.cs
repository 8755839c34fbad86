using Luna.Core;
using TorchSharp;

namespace Luna.Training.Tests;

public class TorchSetupTests
{
    [Fact]
    public void TorchSharp_loads_in_the_test_process_and_multiplies_matrices()
    {
        TorchSetup.EnsureInitialized();
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var product = a.matmul(b);

        // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void Intra_op_threads_equal_the_processor_count()
    {
        TorchSetup.EnsureInitialized();
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Initialisation_tunes_glibcs_allocator_on_linux_except_where_the_user_set_it()
    {
        TorchSetup.EnsureInitialized();

        Assert.Equal(
            GlibcMalloc.Pending(Environment.GetEnvironmentVariable).Select(s => KeyValuePair.Create(s.Variable, s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            TorchSetup.AllocatorSettings);
    }

    [Fact]
    public void Cpu_device_is_granted()
    {
        Assert.Equal(DeviceType.CPU, TorchSetup.SelectDevice(DeviceKind.Cpu).type);
    }

    [Fact]
    public void Cuda_on_a_machine_without_it_is_a_clear_input_error()
    {
        TorchSetup.EnsureInitialized();
        Assert.False(torch.cuda.is_available());

        var error = Assert.Throws<LunaInputException>(() => TorchSetup.SelectDevice(DeviceKind.Cuda));

        Assert.StartsWith("--device: value 'cuda' is not available", error.Message);
        Assert.Contains("--device cpu", error.Message);
    }

    [Fact]
    public void ParseDevice_accepts_cpu_and_cuda_and_names_a_bad_value()
    {
        Assert.Equal(DeviceKind.Cpu, TorchSetup.ParseDevice("CPU"));
        Assert.Equal(DeviceKind.Cuda, TorchSetup.ParseDevice("cuda"));
        var error = Assert.Throws<LunaInputException>(() => TorchSetup.ParseDevice("tpu"));
        Assert.Equal("--device: value 'tpu' is not one of cpu, cuda", error.Message);
    }
}
