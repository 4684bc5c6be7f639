/*
 * The TUI's replica of the daemon (tui/replica.c), the job list built
 * from it (tui/joblist.c) and the / filter (tui/filter.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/filter.h"
#include "tui/joblist.h"
#include "tui/replica.h"

static json_t *
job(long long id, const char *user, const char *state, const char *name)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:{s:f,s:I},"
	                 "s:[s,s]}",
	    "id", id, "user", user, "project", "p", "state", state, "name",
	    name, "class", "train", "submit_time", (json_int_t)1000,
	    "start_time", (json_int_t)(strcmp(state, "PENDING") ? 1010 : 0),
	    "request", "gpus", 0.5, "mem_mb", (json_int_t)4096, "argv", "sleep",
	    "1");
}

static void
apply(struct replica *r, json_t *j)
{
	assert_int_equal(replica_job_apply(r, j, NULL), 1);
	json_decref(j);
}

static void
test_apply_and_find(void **state)
{
	struct replica r;
	json_t *j;
	int old;

	replica_init(&r);
	apply(&r, job(7, "alice", "PENDING", "train"));
	assert_non_null(replica_job(&r, 7));
	assert_null(replica_job(&r, 8));
	assert_int_equal(r.counts[RSTATE_PENDING], 1);
	j = job(7, "alice", "RUNNING", "train");
	json_object_set_new(j, "alloc",
	    json_pack("{s:s,s:[{s:i,s:f}]}", "node", "gpu01", "gpus", "index",
	        3, "share", 0.5));
	assert_int_equal(replica_job_apply(&r, j, &old), 1);
	json_decref(j);
	assert_int_equal(old, RSTATE_PENDING);
	assert_int_equal(r.counts[RSTATE_PENDING], 0);
	assert_int_equal(r.counts[RSTATE_RUNNING], 1);
	assert_string_equal(replica_job(&r, 7)->node, "gpu01");
	assert_int_equal(replica_job(&r, 7)->gpus[0].index, 3);
	assert_int_equal(replica_job(&r, 7)->gpus[0].milli, 500);
	assert_int_equal(replica_job(&r, 7)->gpus_milli, 500);
	assert_string_equal(replica_job(&r, 7)->cmd, "sleep 1");
	/* Interned: one pointer for one user. */
	apply(&r, job(8, "alice", "PENDING", "x"));
	assert_ptr_equal(replica_job(&r, 7)->user, replica_job(&r, 8)->user);
	replica_done(&r);
}

/* Whatever the daemon sends, the replica stays sane. */
static void
test_surprising_input(void **state)
{
	struct replica r;
	json_t *j;

	replica_init(&r);
	j = json_pack("{s:s}", "id", "7");
	assert_int_equal(replica_job_apply(&r, j, NULL), 0);
	json_decref(j);
	j = json_pack("{s:I}", "id", (json_int_t)-1);
	assert_int_equal(replica_job_apply(&r, j, NULL), 0);
	json_decref(j);
	j = json_pack("[i]", 1);
	assert_int_equal(replica_job_apply(&r, j, NULL), 0);
	json_decref(j);
	assert_int_equal(replica_job_apply(&r, NULL, NULL), 0);
	j = json_pack("{s:I,s:i,s:s,s:[i],s:{s:s},s:i,s:{s:i}}", "id",
	    (json_int_t)5, "user", 3, "state", "WEIRD", "argv", 1, "alloc",
	    "gpus", "x", "request", 9, "wait", "position", 2);
	assert_int_equal(replica_job_apply(&r, j, NULL), 1);
	json_decref(j);
	assert_null(replica_job(&r, 5)->user);
	assert_int_equal(replica_job(&r, 5)->state, RSTATE_UNKNOWN);
	assert_int_equal(replica_job(&r, 5)->ngpus, 0);
	assert_int_equal(r.njobs, 1);
	assert_int_equal(replica_event(&r, "job.state", 3, NULL, 0), 0);
	assert_int_equal(replica_event(&r, "other.thing", 4, NULL, 0), 0);
	replica_status(&r, NULL);
	assert_int_equal(r.ngpus, 0);
	assert_int_equal(r.seq, 4);
	replica_done(&r);
}

static void
test_many_and_remove(void **state)
{
	struct replica r;
	json_t *page = json_pack("{s:[]}", "jobs");
	long long i;

	replica_init(&r);
	for (i = 1; i <= 5000; i++)
		apply(&r, job(i, "u", "PENDING", "n"));
	for (i = 1; i <= 5000; i++)
		assert_non_null(replica_job(&r, i));
	/* A snapshot that has only the even jobs: the odd ones are gone. */
	replica_sync_begin(&r);
	for (i = 2; i <= 5000; i += 2)
		json_array_append_new(json_object_get(page, "jobs"),
		    job(i, "u", "PENDING", "n"));
	assert_int_equal(replica_sync_page(&r, page), 2500);
	replica_sync_end(&r);
	json_decref(page);
	assert_int_equal(r.njobs, 2500);
	for (i = 1; i <= 5000; i++)
		assert_true((replica_job(&r, i) != NULL) == (i % 2 == 0));
	assert_int_equal(r.counts[RSTATE_PENDING], 2500);
	replica_done(&r);
}

/* An event during a snapshot keeps its job; finished jobs stay. */
static void
test_sync_keeps_touched(void **state)
{
	struct replica r;
	json_t *ev, *page;

	replica_init(&r);
	apply(&r, job(1, "u", "RUNNING", "a"));
	apply(&r, job(2, "u", "RUNNING", "b"));
	apply(&r, job(3, "u", "COMPLETED", "c"));
	replica_sync_begin(&r);
	ev = json_pack("{s:o}", "job", job(2, "u", "RUNNING", "b"));
	assert_int_equal(replica_event(&r, "job.state", 10, ev, 100), 1);
	json_decref(ev);
	page = json_pack("{s:[]}", "jobs");
	replica_sync_page(&r, page);
	json_decref(page);
	replica_sync_end(&r);
	assert_null(replica_job(&r, 1));
	assert_non_null(replica_job(&r, 2));
	assert_non_null(replica_job(&r, 3));
	assert_int_equal(r.seq, 10);
	assert_true(r.synced);
	replica_done(&r);
}

static void
test_event_text(void **state)
{
	struct replica r;
	json_t *j, *ev;

	replica_init(&r);
	ev = json_pack("{s:o}", "job", job(4, "bob", "PENDING", "eval"));
	replica_event(&r, "job.state", 1, ev, 50);
	json_decref(ev);
	j = job(4, "bob", "FAILED", "eval");
	json_object_set_new(j, "exit_code", json_integer(3));
	ev = json_pack("{s:o}", "job", j);
	replica_event(&r, "job.state", 2, ev, 60);
	json_decref(ev);
	assert_int_equal(r.ev_len, 2);
	assert_string_equal(replica_event_at(&r, 0)->text,
	    "job 4 (eval, bob): submitted, PENDING");
	assert_string_equal(replica_event_at(&r, 1)->text,
	    "job 4 (eval, bob): PENDING -> FAILED (exit 3)");
	assert_int_equal(replica_event_at(&r, 1)->level, REVENT_WARN);
	assert_int_equal(replica_event_at(&r, 1)->job, 4);
	replica_note(&r, 70, REVENT_ERROR, 0, "lost %d", 1);
	assert_string_equal(replica_event_at(&r, 2)->text, "lost 1");
	assert_null(replica_event_at(&r, 3));
	replica_done(&r);
}

static void
test_event_ring(void **state)
{
	struct replica r;
	size_t i;

	replica_init(&r);
	for (i = 0; i < REPLICA_MAX_EVENTS + 10; i++)
		replica_note(&r, 0, REVENT_INFO, 0, "n%zu", i);
	assert_int_equal(r.ev_len, REPLICA_MAX_EVENTS);
	assert_string_equal(replica_event_at(&r, 0)->text, "n10");
	replica_done(&r);
}

static json_t *
status(int util)
{
	return json_pack("{s:s,s:[{s:s,s:f,s:f,s:I,s:I,s:[{s:i,s:s,s:I,s:f,"
	                 "s:i,s:I,s:[{s:I,s:s,s:f}]},{s:i,s:s,s:I,s:f,s:i,"
	                 "s:I,s:[]}]}]}",
	    "host", "h", "nodes", "name", "n1", "cpus", 8.0, "cpus_alloc", 1.0,
	    "mem_mb", (json_int_t)1000, "mem_alloc_mb", (json_int_t)100, "gpus",
	    "index", 0, "model", "H100", "mem_mb", (json_int_t)1000, "alloc",
	    0.5, "util_pct", util, "mem_used_mb", (json_int_t)250, "jobs", "id",
	    (json_int_t)7, "user", "alice", "share", 0.5, "index", 1, "model",
	    "H100", "mem_mb", (json_int_t)1000, "alloc", 0.0, "util_pct", 0,
	    "mem_used_mb", (json_int_t)0, "jobs");
}

static void
test_status_history(void **state)
{
	struct replica r;
	json_t *s, *j;
	int i;

	replica_init(&r);
	for (i = 0; i < 3; i++) {
		s = status(10 * (i + 1));
		replica_status(&r, s);
		json_decref(s);
	}
	assert_int_equal(r.ngpus, 2);
	assert_int_equal(r.nnodes, 1);
	assert_int_equal(r.nodes[0].ngpus, 2);
	assert_int_equal(r.gpus[0].alloc_milli, 500);
	assert_int_equal(r.gpus[0].hist_len, 3);
	assert_int_equal(replica_hist(&r.gpus[0], 0, 0), 10);
	assert_int_equal(replica_hist(&r.gpus[0], 0, 2), 30);
	assert_int_equal(replica_hist(&r.gpus[0], 1, 2), 25);
	assert_int_equal(r.gpus[0].jobs[0].id, 7);
	j = job(7, "alice", "RUNNING", "t");
	json_object_set_new(j, "alloc",
	    json_pack("{s:s,s:[{s:i,s:f}]}", "node", "n1", "gpus", "index", 0,
	        "share", 0.5));
	apply(&r, j);
	assert_int_equal(replica_job_util(&r, replica_job(&r, 7)), 30);
	for (i = 0; i < REPLICA_HIST + 5; i++) {
		s = status(i % 101);
		replica_status(&r, s);
		json_decref(s);
	}
	assert_int_equal(r.gpus[0].hist_len, REPLICA_HIST);
	assert_int_equal(replica_hist(&r.gpus[0], 0, REPLICA_HIST - 1),
	    (REPLICA_HIST + 4) % 101);
	replica_done(&r);
}

static void
test_filter(void **state)
{
	struct replica r;
	struct filter f;
	struct rjob *a, *b;

	replica_init(&r);
	apply(&r, job(1, "alice", "RUNNING", "train-resnet"));
	apply(&r, job(2, "bob", "PENDING", "eval"));
	a = replica_job(&r, 1);
	b = replica_job(&r, 2);
	filter_parse(&f, "", NULL);
	assert_true(filter_empty(&f));
	assert_true(filter_job(&f, a));
	filter_parse(&f, "RESNET", NULL);
	assert_true(filter_job(&f, a));
	assert_false(filter_job(&f, b));
	filter_parse(&f, "!resnet", NULL);
	assert_false(filter_job(&f, a));
	assert_true(filter_job(&f, b));
	filter_parse(&f, "u:.", "bob");
	assert_false(filter_job(&f, a));
	assert_true(filter_job(&f, b));
	filter_parse(&f, "u:* s:run", NULL);
	assert_true(filter_job(&f, a));
	assert_false(filter_job(&f, b));
	filter_parse(&f, "s:PD id:2", NULL);
	assert_true(filter_job(&f, b));
	filter_parse(&f, "user: ", NULL); /* an empty word is no word */
	assert_true(filter_empty(&f));
	filter_parse(&f, "n:eval u:bob", NULL);
	assert_true(filter_job(&f, b));
	assert_true(filter_text(&f, "eval by bob"));
	assert_false(filter_text(&f, "eval only"));
	replica_done(&r);
}

static void
test_joblist_sort_sticky(void **state)
{
	struct replica r;
	struct joblist jl;
	struct filter f;

	replica_init(&r);
	apply(&r, job(3, "carol", "PENDING", "b"));
	apply(&r, job(1, "alice", "RUNNING", "c"));
	apply(&r, job(2, "bob", "COMPLETED", "a"));
	joblist_init(&jl);
	filter_parse(&f, "", NULL);
	joblist_build(&jl, &r, &f, NULL, 2000);
	assert_int_equal(jl.n, 3);
	assert_int_equal(jl.rows[0]->id, 1);
	assert_int_equal(joblist_index(&jl, 3), 2);
	jl.sort = JOBLIST_SORT_NAME;
	joblist_build(&jl, &r, &f, NULL, 2000);
	assert_int_equal(jl.rows[0]->id, 2);
	assert_int_equal(joblist_index(&jl, 3), 1);
	jl.desc = 1;
	joblist_build(&jl, &r, &f, NULL, 2000);
	assert_int_equal(jl.rows[0]->id, 1);
	jl.sort = JOBLIST_SORT_STATE;
	jl.desc = 0;
	joblist_build(&jl, &r, &f, NULL, 2000);
	assert_int_equal(jl.rows[0]->state, RSTATE_RUNNING);
	assert_int_equal(jl.rows[2]->state, RSTATE_COMPLETED);
	joblist_build(&jl, &r, &f, "bob", 2000);
	assert_int_equal(jl.n, 1);
	assert_int_equal(joblist_index(&jl, 1), JOBLIST_NONE);
	assert_int_equal(joblist_sort_parse("prio"), JOBLIST_SORT_PRIO);
	assert_int_equal(joblist_sort_parse("nope"), -1);
	assert_int_equal(joblist_job_time(replica_job(&r, 3), 2000), 1000);
	assert_int_equal(joblist_job_time(replica_job(&r, 1), 2000), 990);
	joblist_done(&jl);
	replica_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_and_find),
		cmocka_unit_test(test_surprising_input),
		cmocka_unit_test(test_many_and_remove),
		cmocka_unit_test(test_sync_keeps_touched),
		cmocka_unit_test(test_event_text),
		cmocka_unit_test(test_event_ring),
		cmocka_unit_test(test_status_history),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_joblist_sort_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
