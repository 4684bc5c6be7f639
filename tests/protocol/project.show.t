# project.show (docs/protocol/project.show.md): one project and its users.

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","project":"vision","gpus":2,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 RUNNING
> {"id":2,"verb":"project.show","params":{"name":"vision"}}
< {"id":2,"result":{"project":{"name":"vision","department":null,"configured":false,"deserved":0,"limit":null,"weight":1,"default_time_s":0,"allocated":2,"borrowed":2,"pending":0,"jobs":{"running":1,"pending":0},"share":"*num","rank":1,"usage":"*","users":[{"name":"@USER@","weight":1,"allocated":2,"pending":0,"jobs":{"running":1,"pending":0},"share":"*num","usage":"*"}]},"policy":{"name":"fairshare","...":"*"}}}

# A project nobody named, a missing or wrong name.
> {"id":3,"verb":"project.show","params":{"name":"nope"}}
< {"id":3,"error":{"code":"ENOENT","message":"no project \"nope\""}}
> {"id":4,"verb":"project.show"}
< {"id":4,"error":{"code":"EINVAL","message":"\"name\" is required"}}
> {"id":5,"verb":"project.show","params":{"name":7}}
< {"id":5,"error":{"code":"EINVAL","message":"\"name\" must be a string"}}

# A dry run of a job that needs more than is free: it would wait, and no
# job is added (the next real one is still job 2).
> {"id":6,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"nlp","gpus":4,"cpus":0.5,"mem_mb":100,"dry_run":true}}
< {"id":6,"result":{"dry_run":true,"job":{"id":2,"state":"PENDING","...":"*"},"plan":{"start":false,"reason":"RESOURCES","position":1,"eta":null,"reserved":false,"hint":"--gpus 2 would start now","preempts":[]}}}
> {"id":7,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"nlp","gpus":1,"cpus":0.5,"mem_mb":100,"dry_run":true}}
< {"id":7,"result":{"dry_run":true,"job":{"id":2,"...":"*"},"plan":{"start":true,"eta":"*int","alloc":{"node":"*str","cpus":0.5,"mem_mb":100,"gpus":[{"index":"*int","uuid":"*str","share":1,"mem_mb":"*int"}]},"preempts":[]}}}
> {"id":8,"verb":"job.list"}
< {"id":8,"result":{"jobs":[{"id":1,"...":"*"}],"total":1,"next":null}}

# The runner stops the jobs still running.
