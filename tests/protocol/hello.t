# hello: the greeting both ways, and the hello verb.

# The runner did the hello exchange; the verb returns the same facts.
> {"id":1,"verb":"hello"}
< {"id":1,"result":{"proto":1,"version":"~^[0-9]+\\.[0-9]+\\.[0-9]+$","software":"gpuqd","user":"root","uid":0,"admin":true,"host":"*str","verbs":["hello","job.submit","job.list","job.show","job.cancel","job.logs","cluster.status","events.subscribe","server.stats"]}}
