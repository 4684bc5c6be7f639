# events.subscribe (docs/protocol/events.subscribe.md).

# Nothing has happened yet.
> {"id":1,"verb":"events.subscribe"}
< {"id":1,"result":{"seq":0}}

# Each state change is one job.state event with the next seq; an event
# caused by a request comes after that request's reply.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":1,"state":"PENDING","...":"*"}}}
< {"event":"job.state","seq":1,"data":{"job":{"id":1,"name":"true","user":"@USER@","state":"PENDING","...":"*"}}}
< {"event":"job.state","seq":2,"data":{"job":{"id":1,"state":"RUNNING","alloc":{"...":"*"},"...":"*"}}}
< {"event":"job.state","seq":3,"data":{"job":{"id":1,"state":"COMPLETED","exit_code":0,"...":"*"}}}

# A connection that did not subscribe gets no events.
! close
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/false"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
! wait-state 2 FAILED
! no-events

# Resuming after seq 1: the reply, then the events after 1, in order.
> {"id":4,"verb":"events.subscribe","params":{"since":1}}
< {"id":4,"result":{"seq":6}}
< {"event":"job.state","seq":2,"data":{"job":{"id":1,"state":"RUNNING","...":"*"}}}
< {"event":"job.state","seq":3,"data":{"job":{"id":1,"state":"COMPLETED","...":"*"}}}
< {"event":"job.state","seq":4,"data":{"job":{"id":2,"state":"PENDING","...":"*"}}}
< {"event":"job.state","seq":5,"data":{"job":{"id":2,"state":"RUNNING","...":"*"}}}
< {"event":"job.state","seq":6,"data":{"job":{"id":2,"state":"FAILED","reason":"exit code 1","...":"*"}}}
! no-events

# From the start of history.
! close
> {"id":5,"verb":"events.subscribe","params":{"since":0}}
< {"id":5,"result":{"seq":6}}
< {"event":"job.state","seq":1,"...":"*"}
< {"event":"job.state","seq":2,"...":"*"}
< {"event":"job.state","seq":3,"...":"*"}
< {"event":"job.state","seq":4,"...":"*"}
< {"event":"job.state","seq":5,"...":"*"}
< {"event":"job.state","seq":6,"...":"*"}

# Up to date: nothing to replay.
! close
> {"id":6,"verb":"events.subscribe","params":{"since":6}}
< {"id":6,"result":{"seq":6}}
! no-events

# A seq the daemon never reached: ESTALE, take a fresh snapshot.
> {"id":7,"verb":"events.subscribe","params":{"since":7}}
< {"id":7,"error":{"code":"ESTALE","message":"~fresh snapshot"}}
> {"id":8,"verb":"events.subscribe","params":{"since":9007199254740991}}
< {"id":8,"error":{"code":"ESTALE","message":"*str"}}

# A filter: only the events named.
! close
> {"id":9,"verb":"events.subscribe","params":{"events":["job.log"]}}
< {"id":9,"result":{"seq":6}}
> {"id":10,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":10,"result":{"job":{"id":3,"...":"*"}}}
! wait-state 3 COMPLETED
! no-events
! close
> {"id":11,"verb":"events.subscribe","params":{"since":8,"events":["job.state"]}}
< {"id":11,"result":{"seq":9}}
< {"event":"job.state","seq":9,"data":{"job":{"id":3,"state":"COMPLETED","...":"*"}}}

# Bad parameters.
> {"id":12,"verb":"events.subscribe","params":{"since":-1}}
< {"id":12,"error":{"code":"EINVAL","message":"~since"}}
> {"id":13,"verb":"events.subscribe","params":{"since":"0"}}
< {"id":13,"error":{"code":"EINVAL","message":"~since"}}
> {"id":14,"verb":"events.subscribe","params":{"events":"job.state"}}
< {"id":14,"error":{"code":"EINVAL","message":"~events"}}
> {"id":15,"verb":"events.subscribe","params":{"events":[1]}}
< {"id":15,"error":{"code":"EINVAL","message":"~events"}}
> {"id":16,"verb":"events.subscribe","params":{"events":["Job State"]}}
< {"id":16,"error":{"code":"EINVAL","message":"~events"}}
> {"id":17,"verb":"events.subscribe","params":{"from":0}}
< {"id":17,"error":{"code":"EINVAL","message":"unknown parameter \"from\""}}
