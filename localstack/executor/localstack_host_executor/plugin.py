from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class HostExecutorPlugin(RuntimeExecutorPlugin):
    name = "host"

    def load(self, *args, **kwargs):
        from localstack_host_executor.executor import HostRuntimeExecutor

        return HostRuntimeExecutor
