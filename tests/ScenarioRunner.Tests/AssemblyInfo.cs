// One collection at a time. The template runs assert that their load phase had no errors, and a request still
// waiting for a slot when the load window closes counts as one ("not_sent"). In a CI run the rate limiter's run saw
// its four in-flight requests stall for 1.4 s at once, so nine were never sent, while the other collections ran
// beside it: the broker tests booting RabbitMQ and the load-phase tests driving servers of their own, on 2 cores.
// A run that shares the machine with them measures the machine, not the template.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
