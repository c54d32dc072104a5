using System.Text;

namespace MlNetIso.Tests;

/// <summary>Reads vna_flags of a named Vernaux entry in an ELF64 file's .gnu.version_r section (test helper).</summary>
internal static class ElfVersionNeeds
{
    public static ushort? FlagsOf(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = (int)(shoff + (long)s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe) continue;
            int sec = (int)BitConverter.ToUInt64(elf, sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int str = (int)BitConverter.ToUInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);
            for (int need = sec; ; )
            {
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = BitConverter.ToUInt16(elf, need + 2); a > 0; a--)
                {
                    int name = str + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version) return BitConverter.ToUInt16(elf, aux + 4);
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return null;
    }
}
