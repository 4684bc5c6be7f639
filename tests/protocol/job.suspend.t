# job.suspend and job.resume with a plain stop (docs/protocol/job.suspend.md;
# this node has no cuda-checkpoint).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
> {"id":2,"verb":"job.suspend","params":{"id":1,"key":"s1"}}
< {"id":2,"result":{"job":{"id":1,"state":"RUNNING","reason":"suspended by @USER@","swapping":{"op":"suspend","mechanism":"stop"},"...":"*"},"mechanism":"stop"}}
! wait-state 1 SUSPENDED
> {"id":3,"verb":"job.show","params":{"id":1}}
< {"id":3,"result":{"job":{"id":1,"state":"SUSPENDED","suspended":{"mechanism":"stop","since":"*int","where":"GPU memory stays on GPUs 0,1,2,3 (plain stop: no cuda-checkpoint, no checkpoint signal)","checkpoint_age":null,"resume":false,"ran_s":"*int","gpus":[0,1,2,3]},"...":"*"}}}
# The same key: the first answer again; a new request: already suspended.
> {"id":4,"verb":"job.suspend","params":{"id":1,"key":"s1"}}
< {"id":4,"result":{"job":{"id":1,"state":"RUNNING","...":"*"},"mechanism":"stop"}}
> {"id":5,"verb":"job.suspend","params":{"id":1}}
< {"id":5,"error":{"code":"ESTATE","message":"job 1 is already suspended"}}

# A waiting job is held, not suspended.
> {"id":6,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":6,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}
> {"id":7,"verb":"job.suspend","params":{"id":2}}
< {"id":7,"error":{"code":"ESTATE","message":"job 2 is waiting, not running: hold it instead (job.hold)"}}

# Back on its GPUs, which its GPU memory never left.
> {"id":8,"verb":"job.resume","params":{"id":1}}
< {"id":8,"result":{"job":{"id":1,"state":"RUNNING","swapping":{"op":"resume","mechanism":"stop"},"...":"*"},"resumed":true,"waiting":null}}
> {"id":9,"verb":"job.resume","params":{"id":2}}
< {"id":9,"error":{"code":"ESTATE","message":"job 2 is not suspended (PENDING)"}}

# A suspended job may be cancelled: it continues, gets SIGTERM and ends.
> {"id":10,"verb":"job.cancel","params":{"id":1}}
< {"id":10,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
> {"id":20,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":20,"result":{"job":{"id":3,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":3}} {"data":"ready\n","...":"*"}
> {"id":21,"verb":"job.suspend","params":{"id":3}}
< {"id":21,"result":{"job":{"id":3,"...":"*"},"mechanism":"stop"}}
! wait-state 3 SUSPENDED
> {"id":22,"verb":"job.show","params":{"id":3}}
< {"id":22,"result":{"job":{"id":3,"suspended":{"mechanism":"stop","where":"host memory: its processes are stopped (it holds no GPU)","...":"*"},"...":"*"}}}
> {"id":23,"verb":"job.cancel","params":{"id":3}}
< {"id":23,"result":{"job":{"id":3,"...":"*"},"cancelling":"*bool"}}
! wait-state 3 CANCELLED
> {"id":11,"verb":"job.suspend","params":{"id":1}}
< {"id":11,"error":{"code":"ESTATE","message":"job 1 already ended (CANCELLED)"}}

# Bad requests.
> {"id":12,"verb":"job.suspend","params":{}}
< {"id":12,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":13,"verb":"job.suspend","params":{"id":"1"}}
< {"id":13,"error":{"code":"EINVAL","message":"~id"}}
> {"id":14,"verb":"job.suspend","params":{"id":99}}
< {"id":14,"error":{"code":"ENOENT","message":"no job 99"}}
> {"id":15,"verb":"job.suspend","params":{"id":1,"how":"stop"}}
< {"id":15,"error":{"code":"EINVAL","message":"unknown parameter \"how\""}}
> {"id":16,"verb":"job.resume","params":{"id":0}}
< {"id":16,"error":{"code":"EINVAL","message":"~id"}}
> {"id":17,"verb":"job.resume","params":{"id":1}}
< {"id":17,"error":{"code":"ESTATE","message":"job 1 is not suspended (CANCELLED)"}}
