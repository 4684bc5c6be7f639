/*
 * The nvidia-smi probe's parsers, apart so unit tests can reach them.
 * Lines are what `nvidia-smi --query-gpu=... --format=csv,noheader,nounits`
 * prints: fields separated by commas, "[N/A]" or "[Not Supported]" where
 * the driver has no value.
 */
#ifndef GPUQ_GPU_SMI_H
#define GPUQ_GPU_SMI_H

#include "core/gpu/gpu.h"

/* The fields asked for the inventory and for each sample. */
#define GPU_SMI_INV_FIELDS "index,uuid,name,memory.total,mig.mode.current"
#define GPU_SMI_SAMPLE_FIELDS                                                  \
	"index,utilization.gpu,memory.used,temperature.gpu,power.draw"

/*
 * Parses one inventory line ("0, GPU-..., NVIDIA H100 80GB HBM3, 81559,
 * Disabled") into g (its model derived from the name).  0 or GQ_EINVAL.
 */
int gpu_smi_parse_info(const char *line, struct gpu_info *g);
/*
 * Parses one sample line ("0, 37, 1024, 45, 250.12").  A field without a
 * value is -1; a field saying the GPU is lost (or needs a reset) makes
 * the state GPU_LOST.  0 or GQ_EINVAL.
 */
int gpu_smi_parse_sample(const char *line, struct gpu_sample *s);

#endif
