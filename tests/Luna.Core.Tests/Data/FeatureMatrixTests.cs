using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class FeatureMatrixTests
{
    [Fact]
    public void L2_normalised_rows_have_unit_norm_and_zero_rows_stay_zero()
    {
        var m = new FeatureMatrix(new float[] { 3, 4, 0, 0, 1, 0 }, 3, 2);
        FeatureMatrix n = m.L2Normalized();
        Assert.Equal(new float[] { 0.6f, 0.8f, 0, 0, 1, 0 }, n.Data.ToArray());
        Assert.Equal(3f, m[0, 0]);
    }

    [Fact]
    public void Selected_rows_come_in_the_order_asked()
    {
        var m = new FeatureMatrix(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        Assert.Equal(new float[] { 5, 6, 1, 2 }, m.SelectRows(new[] { 2, 0 }).Data.ToArray());
    }

    [Fact]
    public void A_non_finite_value_is_an_error_naming_the_source_row_and_column()
    {
        var m = new FeatureMatrix(new float[] { 1, 2, 3, float.NaN }, 2, 2);
        var ex = Assert.Throws<LunaInputException>(() => m.EnsureFinite("q.npy"));
        Assert.StartsWith("q.npy: row 1, column 1: value NaN", ex.Message);
    }

    [Fact]
    public void A_buffer_of_the_wrong_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new FeatureMatrix(new float[5], 2, 3));
    }
}
