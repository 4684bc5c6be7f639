/* The verbs, one file each (verb-<noun>-<verb>.c). */
#ifndef GPUQ_VERBS_H
#define GPUQ_VERBS_H

#include "core/daemon/daemon.h"

verb_fn verb_hello;
verb_fn verb_job_submit;
verb_fn verb_job_list;
verb_fn verb_job_show;
verb_fn verb_job_cancel;
verb_fn verb_job_logs;
verb_fn verb_cluster_status;
verb_fn verb_events_subscribe;
verb_fn verb_server_stats;
verb_fn verb_server_ping;
verb_fn verb_gpu_history;
verb_fn verb_usage_report;
verb_fn verb_project_list;
verb_fn verb_job_suspend;
verb_fn verb_job_resume;
verb_fn verb_job_swap;
verb_fn verb_job_hold;
verb_fn verb_job_release;
verb_fn verb_job_requeue;
verb_fn verb_job_update;
verb_fn verb_job_attach;
verb_fn verb_project_show;
verb_fn verb_sweep_create;
verb_fn verb_sweep_list;
verb_fn verb_sweep_show;
verb_fn verb_sweep_pause;
verb_fn verb_sweep_resume;
verb_fn verb_sweep_stop;

#endif
