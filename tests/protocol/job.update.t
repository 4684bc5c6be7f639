# job.update (docs/protocol/job.update.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"time_limit_s":3600,"kill_grace_s":1}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}

> {"id":3,"verb":"job.update","params":{"id":2,"priority":-5,"key":"u1"}}
< {"id":3,"result":{"job":{"id":2,"priority":-5,"...":"*"}}}
> {"id":4,"verb":"job.update","params":{"id":2,"priority":1000}}
< {"id":4,"result":{"job":{"id":2,"priority":1000,"...":"*"}}}
> {"id":5,"verb":"job.update","params":{"id":2,"priority":2000000}}
< {"id":5,"error":{"code":"EINVAL","message":"~priority"}}

# Bad requests.
> {"id":8,"verb":"job.update","params":{"id":2,"time_limit":-1}}
< {"id":8,"error":{"code":"EINVAL","message":"~time_limit"}}
> {"id":9,"verb":"job.update","params":{"id":2,"time_limit":"1h"}}
< {"id":9,"error":{"code":"EINVAL","message":"\"time_limit\" must be an integer"}}
> {"id":10,"verb":"job.update","params":{"id":2,"gpus":2}}
< {"id":10,"error":{"code":"EINVAL","message":"unknown parameter \"gpus\""}}
> {"id":11,"verb":"job.update","params":{"priority":1}}
< {"id":11,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":12,"verb":"job.update","params":{"id":3,"priority":1}}
< {"id":12,"error":{"code":"ENOENT","message":"no job 3"}}

# A shorter time limit; past already, the job ends as TIMEOUT.
> {"id":6,"verb":"job.update","params":{"id":1,"time_limit":1}}
< {"id":6,"result":{"job":{"id":1,"request":{"time_limit_s":1,"...":"*"},"...":"*"}}}
! wait-state 1 TIMEOUT
> {"id":7,"verb":"job.update","params":{"id":1,"priority":1}}
< {"id":7,"error":{"code":"ESTATE","message":"job 1 already ended (TIMEOUT)"}}
