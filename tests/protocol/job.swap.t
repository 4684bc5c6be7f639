# job.swap (docs/protocol/job.swap.md).  This node has no cuda-checkpoint
# and the jobs no checkpoint signal: a swap-out would be a plain stop.

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}

# A whole GPU does not fit beside the GPU memory a stopped job keeps.
> {"id":3,"verb":"job.swap","params":{"out":1,"in":2}}
< {"id":3,"error":{"code":"ENOFIT","message":"job 2 does not fit where job 1 is: a plain stop (no cuda-checkpoint, no checkpoint signal) keeps job 1's GPU memory on its GPUs and frees only compute"}}
> {"id":4,"verb":"job.show","params":{"id":1}}
< {"id":4,"result":{"job":{"id":1,"state":"RUNNING","reason":null,"...":"*"}}}

# Which job is which.
> {"id":5,"verb":"job.swap","params":{"out":2,"in":1}}
< {"id":5,"error":{"code":"ESTATE","message":"job 2 (out) must be running, and not being stopped or swapped already (PENDING)"}}
> {"id":6,"verb":"job.swap","params":{"out":1,"in":1}}
< {"id":6,"error":{"code":"EINVAL","message":"\"out\" and \"in\" are the same job"}}
> {"id":7,"verb":"job.hold","params":{"id":2}}
< {"id":7,"result":{"job":{"id":2,"held":true,"...":"*"}}}
> {"id":8,"verb":"job.swap","params":{"out":1,"in":2}}
< {"id":8,"error":{"code":"ESTATE","message":"job 2 (in) is held or waits for another job"}}

# Bad requests.
> {"id":9,"verb":"job.swap","params":{"out":1}}
< {"id":9,"error":{"code":"EINVAL","message":"\"in\" is required"}}
> {"id":10,"verb":"job.swap","params":{"in":2}}
< {"id":10,"error":{"code":"EINVAL","message":"\"out\" is required"}}
> {"id":11,"verb":"job.swap","params":{"out":1,"in":77}}
< {"id":11,"error":{"code":"ENOENT","message":"no job 77"}}
> {"id":12,"verb":"job.swap","params":{"out":"1","in":2}}
< {"id":12,"error":{"code":"EINVAL","message":"\"out\" must be an integer"}}
> {"id":13,"verb":"job.swap","params":{"out":1,"in":2,"id":3}}
< {"id":13,"error":{"code":"EINVAL","message":"unknown parameter \"id\""}}
> {"id":14,"verb":"job.cancel","params":{"id":1}}
< {"id":14,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
