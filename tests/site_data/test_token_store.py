"""The file-based token cache that shares the site generation between a host's workers."""


def test_token_files_add_only_once_and_set_replaces(tmp_path):
    from site_data.token_store import FileTokenCache

    worker_a = FileTokenCache(str(tmp_path), {})
    worker_b = FileTokenCache(str(tmp_path), {})
    assert worker_a.get_many(["generation"]) == {}
    assert worker_a.add("generation", "first") is True
    assert worker_b.add("generation", "second") is False, "the first worker won"
    assert worker_b.get("generation") == "first"
    worker_b.set_many({"generation": "third", "subtree": "x"})
    assert worker_a.get_many(["generation", "subtree", "missing"]) == {"generation": "third", "subtree": "x"}
    worker_a.clear()
    assert worker_b.get("generation") is None
    assert not list(tmp_path.glob(".tmp-*")), "no temporary file is left behind"
