namespace Heurist.TinyModels.Graph;

/// <summary>
/// One dimension of a graph input or output: a fixed size (<c>32</c>) or a symbolic name (<c>"batch"</c>)
/// that ONNX Runtime reports as dynamic. Ints and strings convert implicitly, so a shape reads
/// <c>["batch", 4, "height", "width"]</c>.
/// </summary>
public readonly record struct Dim
{
    private Dim(long? value, string? name)
    {
        Value = value;
        Name = name;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Name { get; }

    public static Dim Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new Dim(value, null);
    }

    public static Dim Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Dim(null, name);
    }

    public static implicit operator Dim(int value) => Fixed(value);

    public static implicit operator Dim(string name) => Symbolic(name);

    public override string ToString() => Name ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
