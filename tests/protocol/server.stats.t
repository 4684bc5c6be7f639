# server.stats (docs/protocol/server.stats.md).

# A fresh daemon: this connection, this request, no jobs, no events.
> {"id":1,"verb":"server.stats"}
< {"id":1,"result":{"version":"~^[0-9]+\\.[0-9]+\\.[0-9]+$","pid":"*int","uptime_s":"*int","connections":1,"requests":1,"commits":"*int","event_seq":0,"jobs":{"PENDING":0,"RUNNING":0,"COMPLETED":0,"FAILED":0,"CANCELLED":0,"TIMEOUT":0,"SUSPENDED":0},"rss_kb":"*int","store":"@DIR@/state","socket":"@DIR@/s.sock","executor":"local","policy":"fairshare"}}

# The counters follow what happens.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
> {"id":4,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1,"cpus":0.1,"mem_mb":100}}
< {"id":4,"result":{"job":{"id":3,"...":"*"}}}
> {"id":5,"verb":"server.stats"}
< {"id":5,"result":{"requests":5,"event_seq":"*int","...":"*"}}
# (The runner's own polls below are requests too.)
! wait-state 1 COMPLETED
! wait-state 2 RUNNING
> {"id":50,"verb":"server.stats"}
< {"id":50,"result":{"requests":"*int","event_seq":6,"jobs":{"PENDING":1,"RUNNING":1,"COMPLETED":1,"FAILED":0,"CANCELLED":0,"TIMEOUT":0,"SUSPENDED":0},"...":"*"}}
> {"id":6,"verb":"job.cancel","params":{"id":3}}
< {"id":6,"result":{"job":{"id":3,"state":"CANCELLED","...":"*"},"cancelling":false}}
> {"id":7,"verb":"job.cancel","params":{"id":2}}
< {"id":7,"result":{"job":{"id":2,"...":"*"},"cancelling":true}}
! wait-state 2 CANCELLED
> {"id":8,"verb":"server.stats"}
< {"id":8,"result":{"requests":"*int","event_seq":8,"jobs":{"PENDING":0,"RUNNING":0,"COMPLETED":1,"FAILED":0,"CANCELLED":2,"TIMEOUT":0,"SUSPENDED":0},"...":"*"}}

# Unknown parameters are refused.
> {"id":9,"verb":"server.stats","params":{"verbose":true}}
< {"id":9,"error":{"code":"EINVAL","message":"unknown parameter \"verbose\""}}

# A second connection counts; once closed, it does not.
! close
> {"id":10,"verb":"server.stats"}
< {"id":10,"result":{"connections":1,"...":"*"}}
