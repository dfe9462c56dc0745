"""kubectl exec into a pod, and Service routing through kube-proxy's iptables rules."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster

NGINX = "registry.k8s.io/nginx-slim:0.24"


def _web(namespace: str) -> list[dict[str, Any]]:
    labels = {"app": "web"}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "terminationGracePeriodSeconds": 1,
                    "containers": [{"name": "nginx", "image": NGINX, "ports": [{"containerPort": 80}]}],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {"selector": labels, "ports": [{"port": 8080, "targetPort": 80}]},
    }
    return [deployment, service]


def test_kubectl_exec_runs_commands_in_a_pod(kube: Kube, namespace: str) -> None:
    kube.apply([pod("shell", namespace, NGINX)])
    kube.wait_ready(namespace, "app=shell")
    assert kube.exec(namespace, "shell", "hostname").stdout.strip() == "shell"
    assert "Welcome to nginx!" in kube.exec(namespace, "shell", "curl", "-s", "localhost").stdout
    assert kube.exec(namespace, "shell", "sh", "-c", "echo $((6 * 7))").stdout.strip() == "42"
    failed = kube.exec(namespace, "shell", "sh", "-c", "exit 3", check=False)
    assert failed.returncode == 3


def test_a_pod_reaches_an_nginx_service_by_cluster_ip_and_by_name(kube: Kube, namespace: str) -> None:
    kube.apply([*_web(namespace), pod("client", namespace, NGINX)])
    kube.wait_ready(namespace, "app=web")
    kube.wait_ready(namespace, "app=client")
    server = kube.get("pods", "-n", namespace, "-l", "app=web")["items"][0]["metadata"]["name"]
    # The page names the server pod, so the answer proves which pod served it.
    kube.exec(namespace, server, "sh", "-c", "hostname > /usr/share/nginx/html/index.html")
    cluster_ip = kube.get("service", "-n", namespace, "web")["spec"]["clusterIP"]
    for url in (f"http://{cluster_ip}:8080/", f"http://web.{namespace}.svc.cluster.local:8080/", "http://web:8080/"):
        assert _first_answer(kube, namespace, url) == server, url


def _first_answer(kube: Kube, namespace: str, url: str, timeout: float = 20) -> str:
    """The body of the first successful GET: kube-proxy programs a new Service's
    rules within a second or two of its endpoint becoming ready, so retry briefly."""
    deadline = time.monotonic() + timeout
    while True:
        answer = kube.exec(namespace, "client", "curl", "-sf", "--max-time", "5", url, check=False)
        if answer.returncode == 0 or time.monotonic() > deadline:
            assert answer.returncode == 0, f"{url}: curl exit {answer.returncode} {answer.stderr}"
            return answer.stdout.strip()
        time.sleep(0.5)
