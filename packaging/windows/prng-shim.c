/* FOR THE WINE TESTS ONLY — NEVER SHIPPED. A Rust program built for Windows imports ProcessPrng
 * from bcryptprimitives.dll (real Windows 10/11 has it); Wine 8.0's copy lacks it. This DLL, put
 * beside the installed .exe during packaging/windows/wine-test.sh, answers with RtlGenRandom. */
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
