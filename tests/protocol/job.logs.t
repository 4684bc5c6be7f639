# job.logs (docs/protocol/job.logs.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","printf 'one\\ntwo\\n'; printf 'err\\n' >&2; printf 'bad \\377 byte\\n' >&2"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 COMPLETED

# Whole logs, stdout by default.
> {"id":2,"verb":"job.logs","params":{"id":1}}
< {"id":2,"result":{"data":"one\ntwo\n","offset":0,"next":8,"size":8,"ended":true}}
> {"id":3,"verb":"job.logs","params":{"id":1,"stream":"stderr"}}
< {"id":3,"result":{"data":"err\nbad \ufffd byte\n","offset":0,"next":15,"size":15,"ended":true}}

# Parts: from an offset, from the end, at most limit bytes.
> {"id":4,"verb":"job.logs","params":{"id":1,"offset":4}}
< {"id":4,"result":{"data":"two\n","offset":4,"next":8,"size":8,"ended":true}}
> {"id":5,"verb":"job.logs","params":{"id":1,"offset":-4}}
< {"id":5,"result":{"data":"two\n","offset":4,"next":8,"size":8,"ended":true}}
> {"id":6,"verb":"job.logs","params":{"id":1,"offset":-100}}
< {"id":6,"result":{"data":"one\ntwo\n","offset":0,"next":8,"size":8,"ended":true}}
> {"id":7,"verb":"job.logs","params":{"id":1,"limit":3}}
< {"id":7,"result":{"data":"one","offset":0,"next":3,"size":8,"ended":true}}
> {"id":8,"verb":"job.logs","params":{"id":1,"offset":8}}
< {"id":8,"result":{"data":"","offset":8,"next":8,"size":8,"ended":true}}
> {"id":9,"verb":"job.logs","params":{"id":1,"offset":1000}}
< {"id":9,"result":{"data":"","offset":"*int","next":8,"size":8,"ended":true}}

# Following a job that has ended: the reply, then at once the end.
> {"id":10,"verb":"job.logs","params":{"id":1,"follow":true}}
< {"id":10,"result":{"data":"one\ntwo\n","offset":0,"next":8,"size":8,"ended":true}}
< {"event":"job.log","seq":0,"data":{"id":1,"stream":"stdout","offset":8,"next":8,"data":"","eof":true}}

# Following a running job: its output as job.log events, then eof.
> {"id":11,"verb":"job.submit","params":{"argv":["/bin/sh","-c","sleep 1; echo a; sleep 1; echo b"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":11,"result":{"job":{"id":2,"...":"*"}}}
> {"id":12,"verb":"job.logs","params":{"id":2,"follow":true}}
< {"id":12,"result":{"data":"","offset":0,"next":0,"size":0,"ended":false}}
< {"event":"job.log","seq":0,"data":{"id":2,"stream":"stdout","offset":0,"next":2,"data":"a\n"}}
< {"event":"job.log","seq":0,"data":{"id":2,"stream":"stdout","offset":2,"next":4,"data":"b\n"}}
< {"event":"job.log","seq":0,"data":{"id":2,"stream":"stdout","offset":4,"next":4,"data":"","eof":true}}
# The follow is over: no more events.
! no-events

# Follows of both streams of one job on one connection.
> {"id":13,"verb":"job.submit","params":{"argv":["/bin/sh","-c","sleep 1; echo out; echo err >&2"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":13,"result":{"job":{"id":3,"...":"*"}}}
> {"id":14,"verb":"job.logs","params":{"id":3,"follow":true,"stream":"stderr"}}
< {"id":14,"result":{"data":"","offset":0,"next":0,"size":0,"ended":false}}
> {"id":15,"verb":"job.logs","params":{"id":3,"follow":true}}
< {"id":15,"result":{"data":"","offset":0,"next":0,"size":0,"ended":false}}
<event {"event":"job.log","seq":0,"data":{"id":3,"stream":"stderr","offset":0,"next":4,"data":"err\n"}}
<event {"event":"job.log","seq":0,"data":{"id":3,"stream":"stderr","offset":4,"next":4,"data":"","eof":true}}
! close

# Bad parameters.
> {"id":16,"verb":"job.logs","params":{"id":1,"stream":"stdin"}}
< {"id":16,"error":{"code":"EINVAL","message":"~stream"}}
> {"id":17,"verb":"job.logs","params":{"id":1,"limit":0}}
< {"id":17,"error":{"code":"EINVAL","message":"~limit"}}
> {"id":18,"verb":"job.logs","params":{"id":1,"limit":1048577}}
< {"id":18,"error":{"code":"EINVAL","message":"~limit"}}
> {"id":19,"verb":"job.logs","params":{"id":1,"offset":"0"}}
< {"id":19,"error":{"code":"EINVAL","message":"~offset"}}
> {"id":20,"verb":"job.logs","params":{"id":1,"follow":"yes"}}
< {"id":20,"error":{"code":"EINVAL","message":"~follow"}}
> {"id":21,"verb":"job.logs","params":{"id":4}}
< {"id":21,"error":{"code":"ENOENT","message":"no job 4"}}
> {"id":22,"verb":"job.logs","params":{"id":1,"path":"/etc/shadow"}}
< {"id":22,"error":{"code":"EINVAL","message":"unknown parameter \"path\""}}
