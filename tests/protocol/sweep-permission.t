# Sweeps and permissions: anyone may look at a sweep; only its owner (and
# root, and the admin group) may pause, resume or stop it.  Needs root:
# the runner connects as nobody from a child that changed its uid.

> {"id":1,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"naps"}}
< {"id":1,"result":{"sweep":{"id":1,"user":"root","state":"running","...":"*"},"warnings":[]}}
! wait-state 1 RUNNING

! as nobody
> {"id":2,"verb":"sweep.stop","params":{"id":1}}
< {"id":2,"error":{"code":"EPERM","message":"sweep 1 belongs to root"}}
> {"id":3,"verb":"sweep.pause","params":{"id":1}}
< {"id":3,"error":{"code":"EPERM","message":"sweep 1 belongs to root"}}
> {"id":4,"verb":"sweep.resume","params":{"id":1}}
< {"id":4,"error":{"code":"EPERM","message":"sweep 1 belongs to root"}}
> {"id":5,"verb":"sweep.show","params":{"id":1}}
< {"id":5,"result":{"sweep":{"id":1,"state":"running","...":"*"},"trials":[{"trial":1,"state":"RUNNING","...":"*"}]}}
> {"id":6,"verb":"sweep.list","params":{}}
< {"id":6,"result":{"sweeps":[{"id":1,"user":"root","...":"*"}],"total":1}}
# Another user's job is not theirs to make a sweep from.
> {"id":7,"verb":"sweep.create","params":{"from_job":1,"dry_run":true}}
< {"id":7,"error":{"code":"EPERM","message":"job 1 belongs to root"}}

! as root
> {"id":8,"verb":"sweep.stop","params":{"id":1}}
< {"id":8,"result":{"sweep":{"id":1,"state":"stopped","...":"*"},"cancelling":[1]}}
! wait-state 1 CANCELLED
