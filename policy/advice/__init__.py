"""The advice of the lab's policy pack, as pure functions of resource inputs:
each rule takes what Pulumi hands a policy (a resource's properties, or every
resource of the stack) and returns the sentences to show, none when the step
does what it seems to. `policy/__main__.py` turns them into advisory policies."""
