# project.list (docs/protocol/project.list.md).  This daemon declares no
# projects: each name a job gives is a project with no quota, weight 1.

# Nothing queued: no project yet; the policy's parameters and capacity.
> {"id":1,"verb":"project.list"}
< {"id":1,"result":{"projects":[],"departments":[],"policy":{"name":"fairshare","half_life_s":604800,"min_runtime_s":600,"default_time_s":0,"swap_time_s":30,"reservations":4,"preempt":true},"capacity":{"gpus":4,"cpus":"*num","mem_mb":"*int"}}}

# vision holds 4 GPUs; nlp waits for 1 of them.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","project":"vision","gpus":4,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 RUNNING
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","project":"nlp","gpus":1,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
> {"id":4,"verb":"project.list"}
< {"id":4,"result":{"projects":[{"name":"vision","department":null,"configured":false,"deserved":0,"limit":null,"weight":1,"default_time_s":0,"allocated":4,"borrowed":4,"pending":0,"jobs":{"running":1,"pending":0},"share":"*num","rank":2,"usage":{"gpus":"*num","cpus":"*num","mem_mb":"*int","half_life_s":604800}},{"name":"nlp","department":null,"configured":false,"deserved":0,"limit":null,"weight":1,"default_time_s":0,"allocated":0,"borrowed":0,"pending":1,"jobs":{"running":0,"pending":1},"share":0,"rank":1,"usage":{"gpus":0,"cpus":0,"mem_mb":0,"half_life_s":604800}}],"departments":[],"policy":{"name":"fairshare","...":"*"},"capacity":{"gpus":4,"...":"*"}}}

# Parameters are refused.
> {"id":5,"verb":"project.list","params":{"name":"vision"}}
< {"id":5,"error":{"code":"EINVAL","message":"unknown parameter \"name\""}}

# The runner stops the jobs still running.
