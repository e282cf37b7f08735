/* strlcpy-compat.h — force-included (-include) into rpcd's build: glibc < 2.38
 * lacks strlcpy (musl, OpenWrt's libc, has it). Not part of upstream rpcd.
 * It includes no system header, so the source file's own _GNU_SOURCE still
 * takes effect; the function is renamed so a libc declaration cannot clash. */
#ifndef OFFLOAD_PLATFORM_STRLCPY_COMPAT_H
#define OFFLOAD_PLATFORM_STRLCPY_COMPAT_H
static inline __SIZE_TYPE__ platform_compat_strlcpy(char *dst, const char *src, __SIZE_TYPE__ size)
{
	__SIZE_TYPE__ len = __builtin_strlen(src);

	if (size) {
		__SIZE_TYPE__ n = len >= size ? size - 1 : len;
		__builtin_memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#define strlcpy platform_compat_strlcpy
#endif
