using Gpupredict.Manager.Policies;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicyFuzzTests
{
    private const string Alphabet = " :-{}[],\n\t\"'#*&!|>%0123456789.abcdefghijklmnopqrstuvwxyz_";

    /// <summary>Mutated shipped policies are either accepted or rejected with PolicyFormatException, never anything else.</summary>
    [Theory]
    [InlineData("default.yaml")]
    [InlineData("examples/ml-node.yaml")]
    [InlineData("examples/hpc-simulation.yaml")]
    public void Parse_RandomEdits_OnlyPolicyFormatException(string file)
    {
        string original = File.ReadAllText(Path.Combine(RepoPaths.Root, "policies", file));
        var random = new Random(20240611);
        for (int round = 0; round < 2000; round++)
        {
            char[] text = original.ToCharArray();
            for (int edit = 0, edits = random.Next(1, 4); edit < edits; edit++)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            try
            {
                _ = PolicyLoader.Parse(new string(text), "fuzz.yaml");
            }
            catch (PolicyFormatException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Expected), e.Message);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e}\n---\n{new string(text)}");
            }
        }
    }
}
