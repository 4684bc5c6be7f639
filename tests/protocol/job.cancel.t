# job.cancel (docs/protocol/job.cancel.md).

# A pending job (it waits behind job 1, which holds every GPU) becomes
# CANCELLED at once.
> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":5}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
# RUNNING is decided before the process starts: wait for its first words.
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}
> {"id":3,"verb":"job.cancel","params":{"id":2,"key":"c2"}}
< {"id":3,"result":{"job":{"id":2,"state":"CANCELLED","end_time":"*int","reason":"cancelled by @USER@","start_time":0,"...":"*"},"cancelling":false}}

# A running job gets SIGTERM; it is CANCELLED once it has exited.
> {"id":4,"verb":"job.cancel","params":{"id":1}}
< {"id":4,"result":{"job":{"id":1,"state":"RUNNING","...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
> {"id":5,"verb":"job.show","params":{"id":1}}
< {"id":5,"result":{"job":{"id":1,"state":"CANCELLED","reason":"cancelled by @USER@","end_time":"*int","history":[{"time":"*int","state":"PENDING","reason":null},{"time":"*int","state":"RUNNING","reason":null},{"time":"*int","state":"CANCELLED","reason":"cancelled by @USER@"}],"...":"*"}}}

# Cancelling a cancelled job again gives the same answer.
> {"id":6,"verb":"job.cancel","params":{"id":1}}
< {"id":6,"result":{"job":{"id":1,"state":"CANCELLED","...":"*"},"cancelling":false}}
# The same key again is the first reply, not a new cancel.
> {"id":7,"verb":"job.cancel","params":{"id":2,"key":"c2"}}
< {"id":7,"result":{"job":{"id":2,"state":"CANCELLED","reason":"cancelled by @USER@","...":"*"},"cancelling":false}}

# A job that ignores SIGTERM is killed when its grace runs out.
> {"id":8,"verb":"job.submit","params":{"argv":["/bin/sh","-c","trap '' TERM; echo ready; sleep 30"],"workdir":"/tmp","cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":8,"result":{"job":{"id":3,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":3}} {"data":"ready\n","...":"*"}
> {"id":10,"verb":"job.cancel","params":{"id":3}}
< {"id":10,"result":{"job":{"id":3,"...":"*"},"cancelling":true}}
! wait-state 3 CANCELLED

# A job that ended otherwise cannot be cancelled.
> {"id":11,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":11,"result":{"job":{"id":4,"...":"*"}}}
! wait-state 4 COMPLETED
> {"id":12,"verb":"job.cancel","params":{"id":4}}
< {"id":12,"error":{"code":"ESTATE","message":"job 4 already ended (COMPLETED)"}}

# Bad requests.
> {"id":13,"verb":"job.cancel","params":{"id":5}}
< {"id":13,"error":{"code":"ENOENT","message":"no job 5"}}
> {"id":14,"verb":"job.cancel","params":{}}
< {"id":14,"error":{"code":"EINVAL","message":"~id"}}
> {"id":15,"verb":"job.cancel","params":{"id":"4"}}
< {"id":15,"error":{"code":"EINVAL","message":"~id"}}
> {"id":16,"verb":"job.cancel","params":{"id":4,"signal":"KILL"}}
< {"id":16,"error":{"code":"EINVAL","message":"unknown parameter \"signal\""}}
> {"id":17,"verb":"job.cancel","params":{"id":4,"key":7}}
< {"id":17,"error":{"code":"EINVAL","message":"~key"}}
