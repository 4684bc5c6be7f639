/*
 * The Slurm executor's pure parts: the batch script and its quoting, the
 * sbatch command line, and the readers of squeue, sacct and scontrol
 * output (real lines from Slurm 22.05, and odd ones).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/exec/slurm-argv.h"
#include "core/exec/slurm-parse.h"
#include "core/exec/slurm-script.h"

static void
check_quote(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(slurm_script_quote(&b, in), 0);
	assert_string_equal(b.data, want);
	buf_done(&b);
}

static void
test_quote(void **state)
{
	struct buf b;

	check_quote("plain", "'plain'");
	check_quote("", "''");
	check_quote("it's", "'it'\\''s'");
	check_quote("'", "''\\'''");
	check_quote("$(rm -rf /) `x` \"y\" ; & | > < * ? \\ \n",
	    "'$(rm -rf /) `x` \"y\" ; & | > < * ? \\ \n'");
	/* A full buffer leaves it as it was. */
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "ab"), 0);
	assert_int_equal(slurm_script_quote(&b, "0123456789"), GQ_ETOOBIG);
	assert_string_equal(b.data, "ab");
	buf_done(&b);
}

static void
test_names(void **state)
{
	assert_true(slurm_script_name_ok("PATH=/bin"));
	assert_true(slurm_script_name_ok("_x1="));
	assert_false(slurm_script_name_ok("1X=a"));
	assert_false(slurm_script_name_ok("A-B=a"));
	assert_false(slurm_script_name_ok("BASH_FUNC_f%%=() {"));
	assert_false(slurm_script_name_ok("NOEQUALS"));
	assert_false(slurm_script_name_ok("=x"));
	assert_true(slurm_script_keep("HOME=/root"));
	assert_false(slurm_script_keep("SLURM_JOB_ID=4"));
	assert_false(slurm_script_keep("GPUQ_JOB_ID=4"));
	assert_false(slurm_script_keep("CUDA_VISIBLE_DEVICES=0"));
	assert_true(slurm_script_keep("CUDA_VISIBLE_DEVICES_X=0"));
}

static void
test_script(void **state)
{
	const char *argv[] = { "python3", "-c", "print('a b')", "$HOME;x" };
	const char *env[] = { "PATH=/usr/bin", "SLURM_JOB_ID=1", "Q=it's",
		"BAD-NAME=1", NULL };
	const char *extra[] = { "GPUQ_JOB_ID=7", NULL };
	struct slurm_script s = { .job_id = 7,
		.attempt = 2,
		.dir = "/st/slurm/7 x",
		.workdir = "/home/a b",
		.argv = argv,
		.argc = 4,
		.env = env,
		.extra = extra };
	char cause[128];
	struct buf b;

	buf_init(&b, SLURM_SCRIPT_MAX);
	assert_int_equal(slurm_script_build(&s, &b, cause, sizeof(cause)), 0);
	assert_non_null(strstr(b.data, "#!/bin/sh\n"));
	assert_non_null(strstr(b.data,
	    "set -C\nif ! { echo \"slurm $SLURM_JOB_ID\" >'/st/slurm/7 x'"
	    "'/claim-2'; } 2>/dev/null; then\n"));
	assert_non_null(strstr(b.data, "export 'PATH=/usr/bin'\n"));
	assert_non_null(strstr(b.data, "export 'Q=it'\\''s'\n"));
	assert_null(strstr(b.data, "SLURM_JOB_ID=1"));
	assert_null(strstr(b.data, "BAD-NAME"));
	assert_non_null(strstr(b.data, "export 'GPUQ_JOB_ID=7'\n"));
	assert_non_null(strstr(b.data, "cd '/home/a b' || exit 1\n"));
	assert_non_null(strstr(b.data,
	    "exec 'python3' '-c' 'print('\\''a b'\\'')' '$HOME;x'\n"));
	/* The exec is the last line. */
	assert_string_equal(strrchr(b.data, '\n') + 1, "");
	buf_done(&b);
}

static void
test_script_refused(void **state)
{
	const char *dash[] = { "-x" }, *empty[] = { "" }, *ok[] = { "true" };
	struct slurm_script s = { .job_id = 1,
		.attempt = 1,
		.dir = "/d",
		.workdir = "/",
		.argv = dash,
		.argc = 1 };
	char cause[128];
	struct buf b;

	buf_init(&b, SLURM_SCRIPT_MAX);
	assert_int_equal(slurm_script_build(&s, &b, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "'-'"));
	s.argv = empty;
	assert_int_equal(slurm_script_build(&s, &b, cause, sizeof(cause)),
	    GQ_EINVAL);
	s.argv = ok;
	s.dir = "relative";
	assert_int_equal(slurm_script_build(&s, &b, cause, sizeof(cause)),
	    GQ_EINVAL);
	buf_done(&b);
	/* Past the size limit. */
	buf_init(&b, 64);
	s.dir = "/d";
	assert_int_equal(slurm_script_build(&s, &b, cause, sizeof(cause)),
	    GQ_ETOOBIG);
	buf_done(&b);
}

static int
has_arg(char **v, const char *a)
{
	size_t i;

	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], a) == 0)
			return 1;
	return 0;
}

static void
test_sbatch(void **state)
{
	struct slurm_submit s = { .script = "/st/7/job-1.sh",
		.partition = "gpu",
		.nodelist = "n1",
		.gpus = 2,
		.cpus = 4,
		.mem_mb = 8192,
		.time_s = 61,
		.signo = 10,
		.signal_s = 120,
		.out = "/st/7%/stdout",
		.err = "/st/7%/stderr",
		.comment = "gpuq:login:7:1",
		.name = "my job;rm -rf",
		.workdir = "/w d",
		.uid = 1000,
		.gid = 100,
		.job_id = 7 };
	char cause[128], **v;

	v = slurm_argv_sbatch(&s, cause, sizeof(cause));
	assert_non_null(v);
	assert_string_equal(v[0], "sbatch");
	assert_true(has_arg(v, "--parsable"));
	assert_true(has_arg(v, "--export=NONE"));
	assert_true(has_arg(v, "--no-requeue"));
	assert_true(has_arg(v, "--partition=gpu"));
	assert_true(has_arg(v, "--nodelist=n1"));
	assert_true(has_arg(v, "--gres=gpu:2"));
	assert_true(has_arg(v, "--cpus-per-task=4"));
	assert_true(has_arg(v, "--mem=8192M"));
	assert_true(has_arg(v, "--time=2"));
	assert_true(has_arg(v, "--signal=B:10@120"));
	assert_true(has_arg(v, "--output=/st/7%%/stdout"));
	assert_true(has_arg(v, "--error=/st/7%%/stderr"));
	assert_true(has_arg(v, "--comment=gpuq:login:7:1"));
	assert_true(has_arg(v, "--job-name=my_job_rm_-rf"));
	assert_true(has_arg(v, "--chdir=/w d"));
	assert_true(has_arg(v, "--uid=1000"));
	assert_true(has_arg(v, "--gid=100"));
	assert_string_equal(v[slurm_argv_count(v) - 1], "/st/7/job-1.sh");
	slurm_argv_free(v);
}

static void
test_sbatch_variants(void **state)
{
	struct slurm_submit s = { .script = "/s",
		.shards = 3,
		.uid = -1,
		.gid = -1,
		.job_id = 12 };
	char cause[128], **v;

	v = slurm_argv_sbatch(&s, cause, sizeof(cause));
	assert_true(has_arg(v, "--gres=shard:3"));
	assert_true(has_arg(v, "--job-name=gpuq-12"));
	assert_false(has_arg(v, "--uid=-1"));
	slurm_argv_free(v);
	s.shards = 0;
	s.gpus = 1;
	s.gpu_type = "a100";
	v = slurm_argv_sbatch(&s, cause, sizeof(cause));
	assert_true(has_arg(v, "--gres=gpu:a100:1"));
	slurm_argv_free(v);
	s.out = "/a\\b";
	assert_null(slurm_argv_sbatch(&s, cause, sizeof(cause)));
	assert_non_null(strstr(cause, "backslash"));
}

static void
test_shards(void **state)
{
	assert_int_equal(slurm_argv_shards(500, 4), 2);
	assert_int_equal(slurm_argv_shards(250, 4), 1);
	assert_int_equal(slurm_argv_shards(300, 4), 2);
	assert_int_equal(slurm_argv_shards(1, 4), 1);
	assert_int_equal(slurm_argv_shards(999, 4), 4);
	assert_int_equal(slurm_argv_shards(1000, 4), 4);
	assert_int_equal(slurm_argv_shards(500, 0), 0);
	assert_int_equal(slurm_argv_shards(0, 4), 0);
}

static void
test_job_name(void **state)
{
	char out[SLURM_ARGV_MAX_NAME + 1], longname[200];

	slurm_argv_job_name("train-1.b+c", 3, out, sizeof(out));
	assert_string_equal(out, "train-1.b+c");
	slurm_argv_job_name("", 3, out, sizeof(out));
	assert_string_equal(out, "gpuq-3");
	slurm_argv_job_name(NULL, 4, out, sizeof(out));
	assert_string_equal(out, "gpuq-4");
	slurm_argv_job_name("a b=c\nd", 3, out, sizeof(out));
	assert_string_equal(out, "a_b_c_d");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	slurm_argv_job_name(longname, 3, out, sizeof(out));
	assert_int_equal(strlen(out), SLURM_ARGV_MAX_NAME);
}

static void
test_states(void **state)
{
	assert_int_equal(slurm_parse_state("RUNNING"), SLURM_RUNNING);
	assert_int_equal(slurm_parse_state("CANCELLED by 0"), SLURM_CANCELLED);
	assert_int_equal(slurm_parse_state("CANCELLED+"), SLURM_CANCELLED);
	assert_int_equal(slurm_parse_state("OUT_OF_MEMORY"),
	    SLURM_OUT_OF_MEMORY);
	assert_int_equal(slurm_parse_state("R"), SLURM_UNKNOWN);
	assert_int_equal(slurm_parse_state("RUNNINGX"), SLURM_UNKNOWN);
	assert_int_equal(slurm_parse_state(""), SLURM_UNKNOWN);
	assert_false(slurm_parse_state_final(SLURM_PENDING));
	assert_false(slurm_parse_state_final(SLURM_COMPLETING));
	assert_false(slurm_parse_state_final(SLURM_SUSPENDED));
	assert_true(slurm_parse_state_final(SLURM_NODE_FAIL));
	assert_int_equal(slurm_parse_state_gpuq(SLURM_COMPLETED),
	    JOB_COMPLETED);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_TIMEOUT), JOB_TIMEOUT);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_DEADLINE), JOB_TIMEOUT);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_CANCELLED),
	    JOB_CANCELLED);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_OUT_OF_MEMORY),
	    JOB_FAILED);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_PREEMPTED), JOB_FAILED);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_BOOT_FAIL), JOB_FAILED);
	assert_int_equal(slurm_parse_state_gpuq(SLURM_PENDING), JOB_RUNNING);
	assert_string_equal(slurm_parse_state_name(SLURM_NODE_FAIL),
	    "NODE_FAIL");
}

static void
test_squeue(void **state)
{
	struct slurm_jobstat st;

	assert_int_equal(slurm_parse_squeue("2|RUNNING|None|vm|gpuq:vm:4:1",
	                     &st),
	    0);
	assert_int_equal(st.slurm_id, 2);
	assert_int_equal(st.state, SLURM_RUNNING);
	assert_string_equal(st.reason, "");
	assert_string_equal(st.nodes, "vm");
	assert_string_equal(st.tag, "gpuq:vm:4:1");
	assert_int_equal(slurm_parse_squeue("17|PENDING|Resources||(null)\n",
	                     &st),
	    0);
	assert_string_equal(st.reason, "Resources");
	assert_string_equal(st.nodes, "");
	assert_string_equal(st.tag, "");
	/* A comment with bars in it stays whole. */
	assert_int_equal(slurm_parse_squeue("3|FAILED|NonZeroExitCode|n[1-2]|"
	                                    "a|b|c",
	                     &st),
	    0);
	assert_string_equal(st.tag, "a|b|c");
	assert_int_equal(slurm_parse_squeue("3_1|RUNNING|None|n|x", &st),
	    GQ_EINVAL);
	assert_int_equal(slurm_parse_squeue("3|R|None|n|x", &st), GQ_EINVAL);
	assert_int_equal(slurm_parse_squeue("3|RUNNING|None", &st), GQ_EINVAL);
	assert_int_equal(slurm_parse_squeue("", &st), GQ_EINVAL);
	assert_int_equal(slurm_parse_squeue("slurm_load_jobs error: x", &st),
	    GQ_EINVAL);
}

static void
test_sacct(void **state)
{
	struct slurm_jobstat st;

	assert_int_equal(slurm_parse_sacct("12|CANCELLED by 0|0:15|1795310265",
	                     &st),
	    0);
	assert_int_equal(st.state, SLURM_CANCELLED);
	assert_int_equal(st.exit_signal, 15);
	assert_int_equal(st.exit_code, -1);
	assert_int_equal(st.end, 1795310265);
	assert_int_equal(slurm_parse_sacct("13|COMPLETED|0:0|Unknown", &st), 0);
	assert_int_equal(st.exit_code, 0);
	assert_int_equal(st.end, 0);
	assert_int_equal(slurm_parse_sacct("13|FAILED|3:0|1", &st), 0);
	assert_int_equal(st.exit_code, 3);
	assert_int_equal(slurm_parse_sacct("13|FAILED|garbled|1", &st), 0);
	assert_int_equal(st.exit_code, -1);
	assert_int_equal(slurm_parse_sacct("13.batch|FAILED|3:0|1", &st),
	    GQ_EINVAL);
	assert_int_equal(slurm_parse_sacct("13|FAILED", &st), GQ_EINVAL);
}

static const char job_line[] =
    "JobId=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A "
    "Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=FAILED "
    "Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 "
    "BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00 "
    "TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=1795310262 "
    "EligibleTime=1795310262 AccrueTime=1795310262 StartTime=1795310265 "
    "EndTime=1795310266 Deadline=N/A SuspendTime=None SecsPreSuspend=0 "
    "LastSchedEval=1795310265 Scheduler=Main Partition=local "
    "AllocNode:Sid=localhost:30048 ReqNodeList=(null) ExcNodeList=(null) "
    "NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 "
    "ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=256M,node=1,billing=1 "
    "Command=/st/job 1.sh ExitCode=9:9 WorkDir=/tmp "
    "Comment=gpuq:vm:1:1  StdErr=/tmp/slurm-1.out StdIn=/dev/null "
    "StdOut=/tmp/slurm-1.out Power= \n";

static void
test_scontrol_job(void **state)
{
	struct slurm_jobstat st;
	char v[64];

	assert_int_equal(slurm_parse_scontrol_job(job_line, &st), 0);
	assert_int_equal(st.slurm_id, 1);
	assert_int_equal(st.state, SLURM_FAILED);
	assert_string_equal(st.reason, "NonZeroExitCode");
	assert_int_equal(st.exit_code, 3); /* the first ExitCode counts */
	assert_int_equal(st.exit_signal, 0);
	assert_int_equal(st.start, 1795310265);
	assert_int_equal(st.end, 1795310266);
	assert_string_equal(st.nodes, "vm");
	assert_string_equal(st.tag, "gpuq:vm:1:1");
	/* A value with spaces runs to the next key. */
	assert_int_equal(slurm_parse_kv(job_line, "Command", v, sizeof(v)), 1);
	assert_string_equal(v, "/st/job 1.sh");
	assert_int_equal(slurm_parse_kv(job_line, "Power", v, sizeof(v)), 1);
	assert_string_equal(v, "");
	/* "Sid" is part of a key, not a key. */
	assert_int_equal(slurm_parse_kv(job_line, "Sid", v, sizeof(v)), 0);
	assert_int_equal(slurm_parse_kv(job_line, "Nothing", v, sizeof(v)), 0);
	assert_int_equal(slurm_parse_scontrol_job("JobState=RUNNING", &st),
	    GQ_EINVAL);
	assert_int_equal(slurm_parse_scontrol_job("JobId=4 JobState=WHAT", &st),
	    GQ_EINVAL);
	assert_int_equal(slurm_parse_scontrol_job(
	                     "JobId=4 JobState=TIMEOUT Reason=TimeLimit "
	                     "ExitCode=0:15 EndTime=Unknown",
	                     &st),
	    0);
	assert_int_equal(st.exit_signal, 15);
	assert_int_equal(st.end, 0);
}

static const char node_line[] =
    "NodeName=vm Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 CPUEfctv=2 "
    "CPUTot=2 CPULoad=0.87 AvailableFeatures=(null) ActiveFeatures=(null) "
    "Gres=gpu:8,shard:32 NodeAddr=127.0.0.1 NodeHostName=vm "
    "Version=22.05.8 OS=Linux 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC @0  "
    "RealMemory=19284 AllocMem=0 FreeMem=23674 Sockets=2 Boards=1 "
    "State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A "
    "MCS_label=N/A Partitions=local  BootTime=1795300000 "
    "CfgTRES=cpu=2,mem=19284M,billing=2 AllocTRES= CapWatts=n/a\n";

static void
test_node(void **state)
{
	struct slurm_node nd;

	assert_int_equal(slurm_parse_node(node_line, &nd), 0);
	assert_string_equal(nd.name, "vm");
	assert_string_equal(nd.state, "IDLE");
	assert_true(nd.usable);
	assert_int_equal(nd.cpus, 2);
	assert_int_equal(nd.mem_mb, 19284);
	assert_int_equal(nd.gpus, 8);
	assert_int_equal(nd.shards, 32);
	assert_string_equal(nd.gpu_type, "");
	assert_string_equal(nd.partitions, "local");
	assert_string_equal(nd.features, "");
	assert_int_equal(
	    slurm_parse_node("NodeName=g1 CPUTot=64 RealMemory=512000 "
	                     "Gres=gpu:a100:4(S:0-1),gpu:v100:2(S:0,1),"
	                     "shard:a100:16 State=MIXED+DRAIN "
	                     "Partitions=gpu,debug ActiveFeatures=nvlink,ib",
	        &nd),
	    0);
	assert_int_equal(nd.cpus, 64);
	assert_int_equal(nd.gpus, 6);
	assert_string_equal(nd.gpu_type, "a100");
	assert_int_equal(nd.shards, 16);
	assert_false(nd.usable);
	assert_string_equal(nd.partitions, "gpu,debug");
	assert_string_equal(nd.features, "nvlink,ib");
	assert_int_equal(slurm_parse_node("Arch=x86_64 State=IDLE", &nd),
	    GQ_EINVAL);
	assert_int_equal(slurm_parse_node("NodeName=x", &nd), GQ_EINVAL);
}

static void
test_gres(void **state)
{
	int32_t g, s;
	char t[16];

	slurm_parse_gres("(null)", &g, t, sizeof(t), &s);
	assert_int_equal(g + s, 0);
	slurm_parse_gres("gpu:no_consume:2", &g, t, sizeof(t), &s);
	assert_int_equal(g, 2);
	assert_string_equal(t, "");
	slurm_parse_gres("gpu:h100:no_consume:4,mps:400", &g, t, sizeof(t), &s);
	assert_int_equal(g, 4);
	assert_string_equal(t, "h100");
	slurm_parse_gres("gpu:a_very_long_type_name_indeed:1", &g, t, sizeof(t),
	    &s);
	assert_int_equal(strlen(t), sizeof(t) - 1);
	slurm_parse_gres("gpu:x:junk,shard:1K,gpu", &g, t, sizeof(t), &s);
	assert_int_equal(g, 0);
	assert_int_equal(s, 1024);
}

static void
test_node_states(void **state)
{
	assert_true(slurm_parse_node_usable("IDLE"));
	assert_true(slurm_parse_node_usable("MIXED"));
	assert_true(slurm_parse_node_usable("ALLOCATED+COMPLETING"));
	assert_true(slurm_parse_node_usable("IDLE+CLOUD+POWERED_DOWN"));
	assert_false(slurm_parse_node_usable("IDLE+DRAIN"));
	assert_false(slurm_parse_node_usable("MIXED+DRAIN"));
	assert_false(slurm_parse_node_usable("DOWN"));
	assert_false(slurm_parse_node_usable("DOWN*"));
	assert_false(slurm_parse_node_usable("IDLE*"));
	assert_false(slurm_parse_node_usable("IDLE+MAINT"));
	assert_false(slurm_parse_node_usable("IDLE+RESERVED"));
	assert_false(slurm_parse_node_usable("FUTURE"));
	assert_false(slurm_parse_node_usable("UNKNOWN"));
	assert_false(slurm_parse_node_usable(""));
}

static void
test_tag(void **state)
{
	int64_t id;
	int32_t at;

	assert_true(slurm_parse_tag("gpuq:login1:42:3", "login1", &id, &at));
	assert_int_equal(id, 42);
	assert_int_equal(at, 3);
	assert_false(slurm_parse_tag("gpuq:login2:42:3", "login1", &id, &at));
	assert_false(slurm_parse_tag("gpuq:login:42:3", "login1", &id, &at));
	assert_false(slurm_parse_tag("gpuq:login1:42", "login1", &id, &at));
	assert_false(slurm_parse_tag("gpuq:login1:4x:3", "login1", &id, &at));
	assert_false(slurm_parse_tag("gpuq:login1:4:3 ", "login1", &id, &at));
	assert_false(slurm_parse_tag("", "login1", &id, &at));
	assert_false(slurm_parse_tag("(null)", "login1", &id, &at));
}

static void
test_jobid_errors(void **state)
{
	char out[128];

	assert_int_equal(slurm_parse_jobid("123\n"), 123);
	assert_int_equal(slurm_parse_jobid("123;cluster\n"), 123);
	assert_int_equal(slurm_parse_jobid("123"), 123);
	assert_int_equal(slurm_parse_jobid(""), -1);
	assert_int_equal(slurm_parse_jobid("123\n456\n"), -1);
	assert_int_equal(slurm_parse_jobid("Submitted batch job 5\n"), -1);
	slurm_parse_error("sbatch: error: Batch job submission failed: "
	                  "Invalid partition name specified\n",
	    out, sizeof(out));
	assert_string_equal(out,
	    "Batch job submission failed: Invalid partition name specified");
	slurm_parse_error("a\n\nsbatch: error: last one  \n\n", out,
	    sizeof(out));
	assert_string_equal(out, "last one");
	slurm_parse_error("", out, sizeof(out));
	assert_string_equal(out, "");
	slurm_parse_error("plain text", out, 6);
	assert_string_equal(out, "plain");
	assert_true(slurm_parse_transient("slurm_load_jobs error: Unable to "
	                                  "contact slurm controller (connect "
	                                  "failure)"));
	assert_true(slurm_parse_transient("Socket timed out on send/recv "
	                                  "operation"));
	assert_false(slurm_parse_transient("Invalid partition name specified"));
	assert_true(slurm_parse_invalid_job("slurm_load_jobs error: Invalid "
	                                    "job id specified"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_script_refused),
		cmocka_unit_test(test_sbatch),
		cmocka_unit_test(test_sbatch_variants),
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_job_name),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_squeue),
		cmocka_unit_test(test_sacct),
		cmocka_unit_test(test_scontrol_job),
		cmocka_unit_test(test_node),
		cmocka_unit_test(test_gres),
		cmocka_unit_test(test_node_states),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_jobid_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
