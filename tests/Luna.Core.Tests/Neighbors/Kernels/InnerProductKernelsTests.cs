using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class InnerProductKernelsTests
{
    [Fact]
    public void The_managed_preference_always_gives_the_managed_kernel_with_the_widest_simd()
    {
        IInnerProductKernel kernel = InnerProductKernels.Get(KernelPreference.Managed);
        Assert.IsType<ManagedSgemm>(kernel);
        Assert.Equal(ManagedSgemm.BestSimd, ((ManagedSgemm)kernel).Simd);
    }

    [Fact]
    public void Auto_uses_openblas_only_when_it_is_installed_and_says_why()
    {
        IInnerProductKernel kernel = InnerProductKernels.Get(KernelPreference.Auto);
        if (!OpenBlasSgemm.IsAvailable)
        {
            Assert.IsType<ManagedSgemm>(kernel);
            Assert.Contains("not found", InnerProductKernels.AutoSelectionReason);
        }
        else
        {
            Assert.Contains("calibration", InnerProductKernels.AutoSelectionReason);
            Assert.Contains(kernel.Backend == KernelBackend.OpenBlas ? "OpenBLAS kernel" : "managed kernel", InnerProductKernels.AutoSelectionReason);
        }
    }

    [Theory]
    [InlineData(null, "Auto")]
    [InlineData("", "Auto")]
    [InlineData(" Auto ", "Auto")]
    [InlineData("managed", "Managed")]
    [InlineData("OpenBLAS", "OpenBlas")]
    public void The_kernel_environment_variable_takes_auto_managed_or_openblas(string? value, string expected)
    {
        Assert.Equal(expected, InnerProductKernels.FromEnvironment(value).ToString());
    }

    [Fact]
    public void Any_other_kernel_environment_value_is_bad_input_naming_the_variable()
    {
        var e = Assert.Throws<LunaInputException>(() => InnerProductKernels.FromEnvironment("bogus"));
        Assert.Equal("LUNA_KERNEL: value 'bogus' is not one of auto, managed, openblas", e.Message);
    }

    [Fact]
    public void Asking_for_openblas_where_it_is_missing_is_an_error_naming_the_package()
    {
        if (OpenBlasSgemm.IsAvailable)
        {
            Assert.Equal(KernelBackend.OpenBlas, InnerProductKernels.Get(KernelPreference.OpenBlas).Backend);
        }
        else
        {
            var ex = Assert.Throws<InvalidOperationException>(() => InnerProductKernels.Get(KernelPreference.OpenBlas));
            Assert.Contains("libopenblas0", ex.Message);
        }
    }
}
