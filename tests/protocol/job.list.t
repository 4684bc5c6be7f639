# job.list (docs/protocol/job.list.md).

> {"id":1,"verb":"job.list"}
< {"id":1,"result":{"jobs":[],"total":0,"next":null}}

# Job 1 holds all four GPUs; job 2 ends at once; job 3 waits for GPUs.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 RUNNING
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"vision","cpus":0.1,"mem_mb":100}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
! wait-state 2 COMPLETED
> {"id":4,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":1,"project":"vision","cpus":0.1,"mem_mb":100}}
< {"id":4,"result":{"job":{"id":3,"...":"*"}}}

# By default: the jobs still pending or running, in id order.
> {"id":5,"verb":"job.list"}
< {"id":5,"result":{"jobs":[{"id":1,"state":"RUNNING","wait":null,"...":"*"},{"id":3,"state":"PENDING","wait":{"reason":"RESOURCES","position":1,"...":"*"},"alloc":null,"...":"*"}],"total":2,"next":null}}

# The listed job is the whole job object.
> {"id":6,"verb":"job.list","params":{"state":"COMPLETED"}}
< {"id":6,"result":{"jobs":[{"id":2,"name":"true","user":"@USER@","project":"vision","class":"train","priority":0,"preemptible":true,"state":"COMPLETED","submit_time":"*int","start_time":"*int","end_time":"*int","request":{"gpus":0,"gpu_mem_mb":0,"cpus":0.1,"mem_mb":100,"time_limit_s":0},"alloc":{"node":"*str","cpus":0.1,"mem_mb":100,"gpus":[]},"argv":["/bin/true"],"workdir":"/tmp","exit_code":0,"exit_signal":null,"reason":null,"attempt":"*int","kill_grace_s":10,"wait":null}],"total":1,"next":null}}

# Filters.
> {"id":7,"verb":"job.list","params":{"all":true}}
< {"id":7,"result":{"jobs":[{"id":1,"...":"*"},{"id":2,"...":"*"},{"id":3,"...":"*"}],"total":3,"next":null}}
> {"id":8,"verb":"job.list","params":{"state":["PENDING","COMPLETED"]}}
< {"id":8,"result":{"jobs":[{"id":2,"...":"*"},{"id":3,"...":"*"}],"total":2,"next":null}}
> {"id":9,"verb":"job.list","params":{"project":"vision","all":true}}
< {"id":9,"result":{"jobs":[{"id":2,"...":"*"},{"id":3,"...":"*"}],"total":2,"next":null}}
> {"id":10,"verb":"job.list","params":{"project":"vision"}}
< {"id":10,"result":{"jobs":[{"id":3,"...":"*"}],"total":1,"next":null}}
> {"id":11,"verb":"job.list","params":{"user":"@USER@","all":true}}
< {"id":11,"result":{"jobs":[{"id":1,"...":"*"},{"id":2,"...":"*"},{"id":3,"...":"*"}],"total":3,"next":null}}
> {"id":12,"verb":"job.list","params":{"user":"no-such-user","all":true}}
< {"id":12,"result":{"jobs":[],"total":0,"next":null}}
> {"id":13,"verb":"job.list","params":{"state":"FAILED"}}
< {"id":13,"result":{"jobs":[],"total":0,"next":null}}

# Pages: limit, then after the last id returned.
> {"id":14,"verb":"job.list","params":{"all":true,"limit":2}}
< {"id":14,"result":{"jobs":[{"id":1,"...":"*"},{"id":2,"...":"*"}],"total":3,"next":2}}
> {"id":15,"verb":"job.list","params":{"all":true,"limit":2,"after":2}}
< {"id":15,"result":{"jobs":[{"id":3,"...":"*"}],"total":1,"next":null}}
> {"id":16,"verb":"job.list","params":{"all":true,"after":3}}
< {"id":16,"result":{"jobs":[],"total":0,"next":null}}

# Bad parameters.
> {"id":17,"verb":"job.list","params":{"state":"DONE"}}
< {"id":17,"error":{"code":"EINVAL","message":"~state"}}
> {"id":18,"verb":"job.list","params":{"state":["RUNNING",1]}}
< {"id":18,"error":{"code":"EINVAL","message":"~state"}}
> {"id":19,"verb":"job.list","params":{"limit":0}}
< {"id":19,"error":{"code":"EINVAL","message":"~limit"}}
> {"id":20,"verb":"job.list","params":{"limit":10001}}
< {"id":20,"error":{"code":"EINVAL","message":"~limit"}}
> {"id":21,"verb":"job.list","params":{"after":-1}}
< {"id":21,"error":{"code":"EINVAL","message":"~after"}}
> {"id":22,"verb":"job.list","params":{"all":1}}
< {"id":22,"error":{"code":"EINVAL","message":"~all"}}
> {"id":23,"verb":"job.list","params":{"user":7}}
< {"id":23,"error":{"code":"EINVAL","message":"~user"}}
> {"id":24,"verb":"job.list","params":{"sort":"id"}}
< {"id":24,"error":{"code":"EINVAL","message":"unknown parameter \"sort\""}}

# Clean up: a pending job is cancelled at once, a running one soon.
> {"id":25,"verb":"job.cancel","params":{"id":3}}
< {"id":25,"result":{"job":{"id":3,"state":"CANCELLED","...":"*"},"cancelling":false}}
> {"id":26,"verb":"job.cancel","params":{"id":1}}
< {"id":26,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
> {"id":27,"verb":"job.list"}
< {"id":27,"result":{"jobs":[],"total":0,"next":null}}
