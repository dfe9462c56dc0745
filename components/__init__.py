"""The lab's Pulumi components (one ComponentResource per module) and the pure
spec builders beside them."""
