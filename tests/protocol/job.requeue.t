# job.requeue (docs/protocol/job.requeue.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo run $GPUQ_RESTART_COUNT"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 COMPLETED
# An ended job waits again at once, under the same id.
> {"id":2,"verb":"job.requeue","params":{"id":1}}
< {"id":2,"result":{"job":{"id":1,"state":"PENDING","exit_code":null,"end_time":0,"reason":"requeued by @USER@ (it had ended COMPLETED)","...":"*"},"requeueing":false}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"run 0\nrun 1\n","...":"*"}
! wait-state 1 COMPLETED

# A running job is stopped and waits again once it has exited.
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready $GPUQ_RESTART_COUNT; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":2}} {"data":"ready 0\n","...":"*"}
> {"id":4,"verb":"job.requeue","params":{"id":2}}
< {"id":4,"result":{"job":{"id":2,"state":"RUNNING","reason":"requeued by @USER@","...":"*"},"requeueing":true}}
> {"id":5,"verb":"job.requeue","params":{"id":2}}
< {"id":5,"error":{"code":"ESTATE","message":"job 2 is already being stopped, swapped out or resumed"}}
! until {"verb":"job.logs","params":{"id":2}} {"data":"ready 0\nready 1\n","...":"*"}

# A waiting job is already where requeue would put it.
> {"id":6,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":6,"result":{"job":{"id":3,"state":"PENDING","...":"*"}}}
> {"id":7,"verb":"job.requeue","params":{"id":3}}
< {"id":7,"error":{"code":"ESTATE","message":"job 3 is already waiting"}}

# Bad requests.
> {"id":8,"verb":"job.requeue","params":{}}
< {"id":8,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":9,"verb":"job.requeue","params":{"id":4}}
< {"id":9,"error":{"code":"ENOENT","message":"no job 4"}}
> {"id":10,"verb":"job.requeue","params":{"id":1,"hold":true}}
< {"id":10,"error":{"code":"EINVAL","message":"unknown parameter \"hold\""}}
> {"id":11,"verb":"job.cancel","params":{"id":2}}
< {"id":11,"result":{"job":{"id":2,"...":"*"},"cancelling":true}}
! wait-state 2 CANCELLED
