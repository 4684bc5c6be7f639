# hello: the greeting both ways, and the hello verb (docs/protocol/hello.md).

# The runner did the hello exchange; the verb returns the same facts.
> {"id":1,"verb":"hello"}
< {"id":1,"result":{"proto":1,"version":"~^[0-9]+\\.[0-9]+\\.[0-9]+$","software":"gpuqd","user":"@USER@","uid":@UID@,"admin":@ADMIN@,"host":"*str","verbs":["hello","job.submit","job.list","job.show","job.cancel","job.logs","cluster.status","job.suspend","job.resume","job.swap","job.hold","job.release","job.requeue","job.update","job.attach","project.list","project.show","sweep.create","sweep.list","sweep.show","sweep.pause","sweep.resume","sweep.stop","events.subscribe","server.stats","server.ping","gpu.history","usage.report"]}}

# The client's own hello may be sent as params; anything else is refused.
> {"id":2,"verb":"hello","params":{"proto":1,"version":"0.1.0","software":"gpuq","verbs":[]}}
< {"id":2,"result":{"proto":1,"...":"*"}}
> {"id":3,"verb":"hello","params":{"color":"blue"}}
< {"id":3,"error":{"code":"EINVAL","message":"unknown parameter \"color\""}}

# A second hello on a live connection is harmless and gets no reply.
> {"hello":{"proto":1}}
> {"id":4,"verb":"hello"}
< {"id":4,"result":{"proto":1,"...":"*"}}

# The daemon speaks first: its greeting, before the client said anything.
! nohello
< {"hello":{"proto":1,"version":"*str","software":"gpuqd","verbs":["hello","job.submit","job.list","job.show","job.cancel","job.logs","cluster.status","job.suspend","job.resume","job.swap","job.hold","job.release","job.requeue","job.update","job.attach","project.list","project.show","sweep.create","sweep.list","sweep.show","sweep.pause","sweep.resume","sweep.stop","events.subscribe","server.stats","server.ping","gpu.history","usage.report"],"user":"@USER@","host":"*str"}}

# A request before the client's hello: EPROTO, with the request's id.
> {"id":5,"verb":"job.list"}
< {"id":5,"error":{"code":"EPROTO","message":"~hello"}}
> {"id":6,"verb":"hello"}
< {"id":6,"error":{"code":"EPROTO","...":"*"}}

# A hello that is not an object, or has no integer proto.
> {"hello":1}
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}
> {"hello":{"proto":"1"}}
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}
> {"hello":{"proto":1},"id":7}
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}

# Then the right hello, and requests work on the same connection.
> {"hello":{"proto":1,"software":"test"}}
> {"id":8,"verb":"job.list"}
< {"id":8,"result":{"jobs":[],"total":0,"next":null}}

# Another protocol version: EPROTO, and the daemon hangs up.
! nohello
< {"hello":{"proto":1,"...":"*"}}
> {"hello":{"proto":2}}
< {"id":null,"error":{"code":"EPROTO","message":"~protocol 1"}}
! eof

# Everybody else is still served.
! close
> {"id":9,"verb":"hello"}
< {"id":9,"result":{"proto":1,"...":"*"}}
