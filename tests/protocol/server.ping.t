# server.ping (docs/protocol/server.ping.md): the heartbeat of clients on
# links that can die silently (SSH).

# The answer is the daemon's clock, in seconds since the epoch.
> {"id":1,"verb":"server.ping"}
< {"id":1,"result":{"time":"*int"}}
> {"id":2,"verb":"server.ping","params":{}}
< {"id":2,"result":{"time":"*int"}}

# It changes nothing: no event follows it.
! no-events

# It takes no params, and no key (it is not mutating).
> {"id":3,"verb":"server.ping","params":{"echo":1}}
< {"id":3,"error":{"code":"EINVAL","message":"unknown parameter \"echo\""}}
> {"id":4,"verb":"server.ping","params":{"key":"k1"}}
< {"id":4,"error":{"code":"EINVAL","...":"*"}}

# Pings pipelined on one connection are answered in order.
> {"id":5,"verb":"server.ping"}
> {"id":6,"verb":"server.ping"}
> {"id":7,"verb":"server.ping"}
< {"id":5,"result":{"time":"*int"}}
< {"id":6,"result":{"time":"*int"}}
< {"id":7,"result":{"time":"*int"}}
