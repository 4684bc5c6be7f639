# job.show (docs/protocol/job.show.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","exit 3"],"workdir":"/tmp","env":{"PATH":"/usr/bin:/bin","LANG":"C.UTF-8"},"cpus":0.1,"mem_mb":100}}
< {"id":1,"result":{"job":{"id":1,"state":"PENDING","...":"*"}}}
! wait-state 1 FAILED

# The job object plus env, the state history and the log paths.
> {"id":2,"verb":"job.show","params":{"id":1}}
< {"id":2,"result":{"job":{"id":1,"name":"sh","user":"@USER@","project":"default","class":"train","priority":0,"preemptible":true,"state":"FAILED","submit_time":"*int","start_time":"*int","end_time":"*int","request":{"gpus":0,"gpu_mem_mb":0,"cpus":0.1,"mem_mb":100,"time_limit_s":0},"alloc":{"node":"*str","cpus":0.1,"mem_mb":100,"gpus":[]},"argv":["/bin/sh","-c","exit 3"],"workdir":"/tmp","exit_code":3,"exit_signal":null,"reason":"exit code 3","attempt":"*int","kill_grace_s":10,"wait":null,"env":{"PATH":"/usr/bin:/bin","LANG":"C.UTF-8"},"history":[{"time":"*int","state":"PENDING","reason":null},{"time":"*int","state":"RUNNING","reason":null},{"time":"*int","state":"FAILED","reason":"exit code 3"}],"logs":{"stdout":"@DIR@/state/jobs/1/stdout","stderr":"@DIR@/state/jobs/1/stderr"}}}}

# A job killed by a signal says which.
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sh","-c","kill -KILL $$"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
! wait-state 2 FAILED
> {"id":4,"verb":"job.show","params":{"id":2}}
< {"id":4,"result":{"job":{"id":2,"state":"FAILED","exit_code":"*","exit_signal":9,"reason":"killed by signal 9 (SIGKILL)","env":{},"...":"*"}}}

# No such job, and ids that are not ids.
> {"id":5,"verb":"job.show","params":{"id":3}}
< {"id":5,"error":{"code":"ENOENT","message":"no job 3"}}
> {"id":6,"verb":"job.show","params":{"id":9007199254740991}}
< {"id":6,"error":{"code":"ENOENT","message":"*str"}}
> {"id":7,"verb":"job.show"}
< {"id":7,"error":{"code":"EINVAL","message":"~id"}}
> {"id":8,"verb":"job.show","params":{"id":"1"}}
< {"id":8,"error":{"code":"EINVAL","message":"~id"}}
> {"id":9,"verb":"job.show","params":{"id":0}}
< {"id":9,"error":{"code":"EINVAL","message":"~id"}}
> {"id":10,"verb":"job.show","params":{"id":9007199254740992}}
< {"id":10,"error":{"code":"EINVAL","message":"~id"}}
> {"id":11,"verb":"job.show","params":{"id":1.0}}
< {"id":11,"error":{"code":"EINVAL","message":"~id"}}
> {"id":12,"verb":"job.show","params":{"id":null}}
< {"id":12,"error":{"code":"EINVAL","message":"~id"}}
> {"id":13,"verb":"job.show","params":{"id":1,"env":true}}
< {"id":13,"error":{"code":"EINVAL","message":"unknown parameter \"env\""}}
