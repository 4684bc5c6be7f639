# Identity and permissions: the daemon knows callers by SO_PEERCRED; a user
# may change only their own jobs, root may change any.  Needs root: the
# runner connects as nobody from a child that changed its uid.

# Root submits a job.
> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","cpus":0.1,"mem_mb":100,"kill_grace_s":0,"key":"same-key"}}
< {"id":1,"result":{"job":{"id":1,"user":"root","...":"*"}}}
! wait-state 1 RUNNING

! as nobody
> {"id":2,"verb":"hello"}
< {"id":2,"result":{"user":"nobody","uid":"*int","admin":false,"...":"*"}}

# Nobody may look, but not change root's job.
> {"id":3,"verb":"job.show","params":{"id":1}}
< {"id":3,"result":{"job":{"id":1,"user":"root","state":"RUNNING","...":"*"}}}
> {"id":4,"verb":"job.cancel","params":{"id":1}}
< {"id":4,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":5,"verb":"job.show","params":{"id":1}}
< {"id":5,"result":{"job":{"id":1,"state":"RUNNING","reason":null,"...":"*"}}}
# Another user's environment and logs are private: env is withheld and
# the logs refused.
> {"id":50,"verb":"job.show","params":{"id":1}}
< {"id":50,"result":{"job":{"id":1,"env":null,"...":"*"}}}
> {"id":51,"verb":"job.logs","params":{"id":1}}
< {"id":51,"error":{"code":"EPERM","message":"job 1 belongs to root"}}

# Nobody's own job runs as nobody, and nobody may cancel it.  Keys belong
# to their user: the same key as root's is a new job.
> {"id":6,"verb":"job.submit","params":{"argv":["/bin/sh","-c","id -un; exec sleep 30"],"workdir":"/tmp","cpus":0.1,"mem_mb":100,"kill_grace_s":0,"key":"same-key"}}
< {"id":6,"result":{"job":{"id":2,"user":"nobody","...":"*"}}}
! until {"verb":"job.logs","params":{"id":2}} {"data":"nobody\n","...":"*"}
> {"id":7,"verb":"job.list","params":{"user":"nobody"}}
< {"id":7,"result":{"jobs":[{"id":2,"user":"nobody","state":"RUNNING","...":"*"}],"total":1,"next":null}}
> {"id":8,"verb":"job.cancel","params":{"id":2}}
< {"id":8,"result":{"job":{"id":2,"...":"*"},"cancelling":true}}
! wait-state 2 CANCELLED
> {"id":9,"verb":"job.show","params":{"id":2}}
< {"id":9,"result":{"job":{"id":2,"state":"CANCELLED","reason":"cancelled by nobody","...":"*"}}}

# A pending job of nobody's (it asks for every GPU while job 3 holds one).
> {"id":10,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":10,"result":{"job":{"id":3,"...":"*"}}}
> {"id":11,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100}}
< {"id":11,"result":{"job":{"id":4,"...":"*"}}}

# Root may change anybody's jobs.
! as root
> {"id":12,"verb":"hello"}
< {"id":12,"result":{"user":"root","uid":0,"admin":true,"...":"*"}}
> {"id":52,"verb":"job.logs","params":{"id":2}}
< {"id":52,"result":{"data":"nobody\n","...":"*"}}
> {"id":13,"verb":"job.cancel","params":{"id":4}}
< {"id":13,"result":{"job":{"id":4,"user":"nobody","state":"CANCELLED","reason":"cancelled by root","...":"*"},"cancelling":false}}
> {"id":14,"verb":"job.cancel","params":{"id":3}}
< {"id":14,"result":{"job":{"id":3,"user":"nobody","...":"*"},"cancelling":"*bool"}}
> {"id":15,"verb":"job.cancel","params":{"id":1}}
< {"id":15,"result":{"job":{"id":1,"user":"root","...":"*"},"cancelling":true}}
! wait-state 3 CANCELLED
! wait-state 1 CANCELLED
