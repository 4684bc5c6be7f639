# Who may suspend, resume, swap, hold, release, requeue, update and attach
# (docs/swap.md): a user only their own jobs, root any.  Needs root.

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":1,"result":{"job":{"id":1,"user":"root","...":"*"}}}
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":2,"user":"root","state":"PENDING","...":"*"}}}
! wait-state 1 RUNNING

! as nobody
> {"id":3,"verb":"hello"}
< {"id":3,"result":{"user":"nobody","admin":false,"...":"*"}}
> {"id":4,"verb":"job.suspend","params":{"id":1}}
< {"id":4,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":5,"verb":"job.resume","params":{"id":1}}
< {"id":5,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":6,"verb":"job.hold","params":{"id":2}}
< {"id":6,"error":{"code":"EPERM","message":"job 2 belongs to root"}}
> {"id":7,"verb":"job.release","params":{"id":2}}
< {"id":7,"error":{"code":"EPERM","message":"job 2 belongs to root"}}
> {"id":8,"verb":"job.requeue","params":{"id":1}}
< {"id":8,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":9,"verb":"job.update","params":{"id":2,"priority":1000}}
< {"id":9,"error":{"code":"EPERM","message":"job 2 belongs to root"}}
> {"id":10,"verb":"job.attach","params":{"id":1}}
< {"id":10,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":11,"verb":"job.swap","params":{"out":1,"in":2}}
< {"id":11,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
> {"id":12,"verb":"job.show","params":{"id":1}}
< {"id":12,"result":{"job":{"id":1,"state":"RUNNING","reason":null,"...":"*"}}}

# Nobody's own waiting job may not swap in for root's job either.
> {"id":13,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"time_limit_s":3600}}
< {"id":13,"result":{"job":{"id":3,"user":"nobody","...":"*"}}}
> {"id":14,"verb":"job.swap","params":{"out":1,"in":3}}
< {"id":14,"error":{"code":"EPERM","message":"job 1 belongs to root"}}
# A user may shorten a limit, not lengthen or remove it.
> {"id":15,"verb":"job.update","params":{"id":3,"time_limit":7200}}
< {"id":15,"error":{"code":"EPERM","message":"only admins may lengthen a time limit or remove it (job 3 has 3600s)"}}
> {"id":16,"verb":"job.update","params":{"id":3,"time_limit":0}}
< {"id":16,"error":{"code":"EPERM","message":"~^only admins"}}
> {"id":17,"verb":"job.update","params":{"id":3,"priority":5000}}
< {"id":17,"error":{"code":"EINVAL","message":"\"priority\" must be between -1000 and 1000 (admins may go further)"}}
> {"id":18,"verb":"job.update","params":{"id":3,"time_limit":60,"priority":-3}}
< {"id":18,"result":{"job":{"id":3,"priority":-3,"request":{"time_limit_s":60,"...":"*"},"...":"*"}}}
> {"id":19,"verb":"job.hold","params":{"id":3}}
< {"id":19,"result":{"job":{"id":3,"held":true,"...":"*"}}}

# Root may change anybody's jobs.
! as root
> {"id":20,"verb":"job.update","params":{"id":3,"time_limit":0,"priority":5000}}
< {"id":20,"result":{"job":{"id":3,"priority":5000,"request":{"time_limit_s":0,"...":"*"},"...":"*"}}}
> {"id":21,"verb":"job.release","params":{"id":3}}
< {"id":21,"result":{"job":{"id":3,"reason":"released by root","...":"*"}}}
> {"id":22,"verb":"job.cancel","params":{"id":3}}
< {"id":22,"result":{"job":{"id":3,"...":"*"},"cancelling":"*bool"}}
> {"id":23,"verb":"job.cancel","params":{"id":2}}
< {"id":23,"result":{"job":{"id":2,"...":"*"},"cancelling":false}}
> {"id":24,"verb":"job.cancel","params":{"id":1}}
< {"id":24,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
