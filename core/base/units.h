/*
 * Parsing and printing of the units users type: GPU counts and fractions,
 * CPU counts, memory sizes and durations.  Pure functions.
 *
 * Every parser takes a NUL-terminated string, accepts surrounding
 * whitespace, and returns 0 or GQ_EINVAL (bad syntax, negative, too big).
 */
#ifndef GPUQ_UNITS_H
#define GPUQ_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_MAX_GPUS    4096 /* whole GPUs one request may name */
#define UNITS_MAX_MEM_MB  (INT64_C(1) << 40) /* 1 EiB */
#define UNITS_MAX_SECONDS (INT64_C(366) * 24 * 3600 * 100)

/*
 * GPUs as milli-GPUs: "2" is 2000, "0.5" is 500.  A fraction must be below
 * one GPU ("1.5" is refused: ask for whole GPUs or a share of one).  At most
 * three decimals; "0" is allowed (a CPU-only job).
 */
int units_parse_gpus(const char *s, int32_t *milli);
/* CPUs as milli-cores: "4" is 4000, "0.5" is 500. */
int units_parse_cpus(const char *s, int32_t *milli);
/*
 * Memory in MiB: "16G", "512M", "1.5G", "20GiB", "1T".  A bare number is
 * MiB, as in Slurm.
 */
int units_parse_mem_mb(const char *s, int64_t *mb);
/*
 * Durations in seconds: "90s", "30m", "4h", "2d", "1h30m", "HH:MM:SS",
 * "MM:SS", "D-HH:MM:SS".  A bare number is in units of bare_unit seconds
 * (60 for Slurm-style time limits, 1 for grace periods).
 */
int units_parse_duration(const char *s, int64_t bare_unit, int64_t *secs);

/* Printers write a NUL-terminated string into out and return out. */
char *units_fmt_gpus(int32_t milli, char *out, size_t n);
char *units_fmt_mem_mb(int64_t mb, char *out, size_t n);
char *units_fmt_duration(int64_t secs, char *out, size_t n);

#endif
