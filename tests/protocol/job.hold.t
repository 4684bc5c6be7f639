# job.hold and job.release (docs/protocol/job.hold.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}

> {"id":3,"verb":"job.hold","params":{"id":2}}
< {"id":3,"result":{"job":{"id":2,"state":"PENDING","held":true,"reason":"held by @USER@","...":"*"}}}
! until {"verb":"job.show","params":{"id":2}} {"job":{"wait":{"reason":"HELD","...":"*"},"...":"*"}}
# Holding again is no error.
> {"id":4,"verb":"job.hold","params":{"id":2}}
< {"id":4,"result":{"job":{"id":2,"held":true,"...":"*"}}}
# Only waiting jobs are held.
> {"id":5,"verb":"job.hold","params":{"id":1}}
< {"id":5,"error":{"code":"ESTATE","message":"job 1 is RUNNING: only a waiting job can be held (job.suspend stops a running one)"}}

> {"id":6,"verb":"job.release","params":{"id":2}}
< {"id":6,"result":{"job":{"id":2,"state":"PENDING","reason":"released by @USER@","...":"*"}}}
> {"id":7,"verb":"job.release","params":{"id":2}}
< {"id":7,"error":{"code":"ESTATE","message":"job 2 is not held (PENDING)"}}
> {"id":8,"verb":"job.release","params":{"id":1}}
< {"id":8,"error":{"code":"ESTATE","message":"job 1 is not held (RUNNING)"}}

# Submitted held: waits until released.
> {"id":9,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0.1,"mem_mb":100,"hold":true}}
< {"id":9,"result":{"job":{"id":3,"state":"PENDING","held":true,"...":"*"}}}
> {"id":10,"verb":"job.release","params":{"id":3,"key":"r3"}}
< {"id":10,"result":{"job":{"id":3,"...":"*"}}}
! wait-state 3 COMPLETED
> {"id":11,"verb":"job.hold","params":{"id":3}}
< {"id":11,"error":{"code":"ESTATE","message":"job 3 is COMPLETED: only a waiting job can be held"}}

# Bad requests.
> {"id":12,"verb":"job.hold","params":{}}
< {"id":12,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":13,"verb":"job.hold","params":{"id":9}}
< {"id":13,"error":{"code":"ENOENT","message":"no job 9"}}
> {"id":14,"verb":"job.release","params":{"id":true}}
< {"id":14,"error":{"code":"EINVAL","message":"~id"}}
> {"id":15,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","hold":"yes"}}
< {"id":15,"error":{"code":"EINVAL","message":"\"hold\" must be true or false"}}
> {"id":16,"verb":"job.cancel","params":{"id":1}}
< {"id":16,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED

# The event of a release still shows the last plan's standing (HELD);
# once the next plan has run, a second job.state brings the new one. The
# same after job.update and job.hold (docs/protocol/events.subscribe.md).
> {"id":17,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":17,"result":{"job":{"id":4,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":4}} {"data":"ready\n","...":"*"}
> {"id":18,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100,"hold":true}}
< {"id":18,"result":{"job":{"id":5,"held":true,"...":"*"}}}
! until {"verb":"job.show","params":{"id":5}} {"job":{"wait":{"reason":"HELD","...":"*"},"...":"*"}}
> {"id":19,"verb":"events.subscribe","params":{"events":["job.state"]}}
< {"id":19,"result":{"seq":"*int"}}
> {"id":20,"verb":"job.release","params":{"id":5}}
< {"id":20,"result":{"job":{"id":5,"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"state":"PENDING","reason":"released by @USER@","wait":{"reason":"HELD","...":"*"},"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"state":"PENDING","reason":"released by @USER@","wait":{"reason":"RESOURCES","position":1,"...":"*"},"...":"*"}}}
> {"id":21,"verb":"job.update","params":{"id":5,"priority":5}}
< {"id":21,"result":{"job":{"id":5,"priority":5,"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"priority":5,"wait":{"reason":"RESOURCES","...":"*"},"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"priority":5,"wait":{"reason":"RESOURCES","...":"*"},"...":"*"}}}
> {"id":22,"verb":"job.hold","params":{"id":5}}
< {"id":22,"result":{"job":{"id":5,"held":true,"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"held":true,"wait":{"reason":"RESOURCES","...":"*"},"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":5,"held":true,"wait":{"reason":"HELD","...":"*"},"...":"*"}}}
# Nothing more: the plans after it owe nothing.
! sleep 600
! no-events
> {"id":23,"verb":"job.cancel","params":{"id":4}}
< {"id":23,"result":{"job":{"id":4,"...":"*"},"cancelling":true}}
! wait-state 4 CANCELLED
