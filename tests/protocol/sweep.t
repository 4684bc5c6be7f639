# sweep.list, sweep.show, sweep.pause, sweep.resume, sweep.stop
# (docs/protocol/sweep.*.md) on a sweep of two one-at-a-time trials.

> {"id":1,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"naps"}}
< {"id":1,"result":{"sweep":{"id":1,"state":"running","...":"*"},"warnings":[]}}
! wait-state 1 RUNNING

> {"id":2,"verb":"sweep.show","params":{"id":1}}
< {"id":2,"result":{"sweep":{"id":1,"name":"naps","state":"running","budget":2,"started":1,"spec":"*obj","seed":"*int","workdir":"/tmp","...":"*"},"trials":[{"trial":1,"job":1,"state":"RUNNING","params":{"t":30},"step":null,"metric":null,"best":null,"metrics":{},"stopped_early":null,"points":0,"dropped":0,"submit_time":"*int","start_time":"*int","end_time":0}]}}
> {"id":3,"verb":"sweep.show","params":{"id":2}}
< {"id":3,"error":{"code":"ENOENT","message":"no sweep 2"}}
> {"id":4,"verb":"sweep.show","params":{}}
< {"id":4,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":5,"verb":"sweep.show","params":{"id":1,"points":1}}
< {"id":5,"error":{"code":"EINVAL","message":"\"points\" must be between 2 and 10000"}}
> {"id":6,"verb":"sweep.list","params":{"state":"nope"}}
< {"id":6,"error":{"code":"EINVAL","message":"\"state\" must be running, paused, stopped or done"}}
> {"id":7,"verb":"sweep.list","params":{"user":"@USER@","state":"running"}}
< {"id":7,"result":{"sweeps":[{"id":1,"name":"naps","counts":{"pending":0,"running":1,"completed":0,"failed":0,"stopped":0,"cancelled":0},"...":"*"}],"total":1}}
> {"id":8,"verb":"sweep.list","params":{"user":"someone-else"}}
< {"id":8,"result":{"sweeps":[],"total":0}}

# Pause twice, resume twice: the same answers.
> {"id":9,"verb":"sweep.pause","params":{"id":1}}
< {"id":9,"result":{"sweep":{"id":1,"state":"paused","...":"*"}}}
> {"id":10,"verb":"sweep.pause","params":{"id":1}}
< {"id":10,"result":{"sweep":{"id":1,"state":"paused","...":"*"}}}
> {"id":11,"verb":"sweep.resume","params":{"id":1}}
< {"id":11,"result":{"sweep":{"id":1,"state":"running","...":"*"}}}
> {"id":12,"verb":"sweep.resume","params":{"id":1}}
< {"id":12,"result":{"sweep":{"id":1,"state":"running","...":"*"}}}

# Stop: the running trial is cancelled, no trial 2 ever starts.  (A job
# stopped before its process started says so instead.)
> {"id":13,"verb":"sweep.stop","params":{"id":1}}
< {"id":13,"result":{"sweep":{"id":1,"state":"stopped","reason":"sweep stopped by @USER@","ended":"*int","...":"*"},"cancelling":[1]}}
! wait-state 1 CANCELLED
> {"id":14,"verb":"job.show","params":{"id":1}}
< {"id":14,"result":{"job":{"id":1,"state":"CANCELLED","reason":"~^(sweep stopped by @USER@|cancelled before it started)$","...":"*"}}}
> {"id":15,"verb":"sweep.stop","params":{"id":1}}
< {"id":15,"result":{"sweep":{"id":1,"state":"stopped","started":1,"...":"*"},"cancelling":[]}}
> {"id":16,"verb":"sweep.pause","params":{"id":1}}
< {"id":16,"error":{"code":"ESTATE","message":"sweep 1 is stopped"}}
> {"id":17,"verb":"sweep.resume","params":{"id":1}}
< {"id":17,"error":{"code":"ESTATE","message":"sweep 1 is stopped"}}
> {"id":18,"verb":"sweep.show","params":{"id":1}}
< {"id":18,"result":{"sweep":{"id":1,"started":1,"counts":{"pending":0,"running":0,"completed":0,"failed":0,"stopped":0,"cancelled":1},"...":"*"},"trials":[{"trial":1,"state":"CANCELLED","...":"*"}]}}
