(* SPDX-License-Identifier: LGPL-2.1-only *)
(*
 * A client shaped like a toolstack's NUMA placement (xenopsd's, for
 * one), written against the series' Xenctrl only:
 *   1. read every node's memory (numa_meminfo, bytes) and pick the node
 *      with the most claimable memory for the new domain;
 *   2. claim the domain's pages on that node; on ENOMEM (matched as
 *      Unix.ENOMEM, not as text) claim them host-wide instead;
 *   3. pin the vCPUs to the node's CPUs, populate the memory, read the
 *      domain's pages per node, release what is left of the claim.
 * It places two domains: one that fits a node, whose pages must all be
 * on the node it claimed, and one larger than any node can claim, which
 * must fall back to a host-wide claim and still be built.
 *
 * Usage: test-numa-client CPU_NODES
 *   CPU_NODES: the node of each CPU, comma separated ("0,0,1,1").
 * Prints "CLAIMTEST: PASS|FAIL numa-client: ..." lines, then
 * "numa-client: N passed, N failed"; exits with the failures (capped).
 *)

let passed = ref 0
let failed = ref 0

let result ok fmt =
	Printf.ksprintf (fun s ->
		if ok then incr passed else incr failed;
		Printf.printf "CLAIMTEST: %s numa-client: %s\n%!"
			(if ok then "PASS" else "FAIL") s) fmt

let page_bytes = 4096L
let mib = 1048576L

(* ** Placement, as a toolstack does it ** *)

type placement =
	| On_node of int   (* claimed on this node *)
	| Host_wide        (* no node could take it: claimed anywhere *)

let show_placement = function
	| On_node n -> Printf.sprintf "node %d" n
	| Host_wide -> "host-wide"

(* The node with the most claimable memory, and that memory (bytes). *)
let best_node xc =
	let mi = Xenctrl.numa_meminfo xc in
	let best = ref 0 in
	Array.iteri (fun n m ->
		if m.Xenctrl.claimable > mi.(!best).Xenctrl.claimable then best := n)
		mi;
	!best, mi.(!best).Xenctrl.claimable

(* Claim [pages] for [domid] on the best node, host-wide on ENOMEM. Other
 * errors are the caller's: they say the request itself is wrong. *)
let claim_for xc domid pages =
	let node, claimable = best_node xc in
	let on_node = [ { Xenctrl.pages; target = Xenctrl.Node node } ] in
	match Xenctrl.domain_claim_memory xc domid on_node with
	| () -> On_node node, claimable
	| exception Unix.Unix_error (Unix.ENOMEM, _, _) ->
		Xenctrl.domain_claim_memory xc domid
			[ { Xenctrl.pages; target = Xenctrl.Host } ];
		Host_wide, claimable

let release xc domid =
	Xenctrl.domain_claim_memory xc domid
		[ { Xenctrl.pages = 0L; target = Xenctrl.Host } ]

(* ** The domain ** *)

let create xc max_pages =
	let config = {
		Xenctrl.ssidref = 0l;
		handle = "00000000-0000-0000-0000-000000000000";
		flags = [];
		iommu_opts = [];
		max_vcpus = 1;
		max_evtchn_port = -1;
		max_grant_frames = 4;
		max_maptrack_frames = 0;
		max_grant_version = 1;
		(* @CREATE_CONFIG_EXTRA@ *)
		cpupool_id = 0l;
		arch = Xenctrl.X86 { Xenctrl.emulation_flags = []; misc_flags = [] };
	} in
	let domid = Xenctrl.domain_create xc config in
	Xenctrl.domain_max_vcpus xc domid 1;
	Xenctrl.domain_setmaxmem xc domid (Xenctrl.pages_to_kib max_pages);
	domid

let pin xc domid cpu_nodes node =
	Xenctrl.vcpu_affinity_set xc domid 0
		(Array.map (fun n -> n = node) cpu_nodes)

let on_node pages node =
	if node < Array.length pages then pages.(node) else 0L

let total pages = Array.fold_left Int64.add 0L pages

(* Place, claim, populate and check one domain of [mb] MiB. *)
let build xc cpu_nodes ~what ~mb ~expect_node =
	let pages = Int64.div (Int64.mul mb mib) page_bytes in
	let domid = create xc (Int64.add pages 256L) in
	Fun.protect ~finally:(fun () -> Xenctrl.domain_destroy xc domid)
	(fun () ->
		let placement, claimable = claim_for xc domid pages in
		result (expect_node = (placement <> Host_wide))
			"%s: %Ld pages (%Ld MiB), best node had %Ld MiB claimable: claimed %s"
			what pages mb (Int64.div claimable mib) (show_placement placement);
		let claims = Xenctrl.domain_get_claims xc domid in
		result (List.length claims = 1
			&& (List.hd claims).Xenctrl.pages = pages)
			"%s: the claim holds all %Ld pages" what pages;
		(match placement with
		 | On_node n -> pin xc domid cpu_nodes n
		 | Host_wide -> ());
		Xenctrl.domain_memory_increase_reservation xc domid
			(Xenctrl.pages_to_kib pages);
		let counts =
			(Xenctrl.domain_get_node_pages xc domid).Xenctrl.tot_pages_per_node in
		Printf.printf "    %s: pages per node: %s\n%!" what
			(String.concat " " (Array.to_list (Array.mapi (fun n c ->
				Printf.sprintf "%d:%Ld" n c) counts)));
		result (total counts = pages)
			"%s: the domain holds its %Ld pages" what (total counts);
		(match placement with
		 | On_node n ->
			result (on_node counts n = pages)
				"%s: all of them on node %d (%Ld there)" what n
				(on_node counts n)
		 | Host_wide -> ());
		result (Xenctrl.domain_get_claims xc domid = [])
			"%s: populating used the whole claim" what;
		release xc domid;
		result (Xenctrl.domain_get_claims xc domid = [])
			"%s: nothing claimed after the release" what)

let main () =
	let cpu_nodes =
		match Sys.argv with
		| [| _; spec |] ->
			Array.of_list (List.map int_of_string
				(String.split_on_char ',' spec))
		| _ -> failwith "usage: test-numa-client CPU_NODES" in
	let xc = Xenctrl.interface_open () in
	let mi = Xenctrl.numa_meminfo xc in
	Array.iteri (fun n m ->
		Printf.printf "    node %d: size %Ld free %Ld claimed %Ld claimable %Ld MiB\n"
			n (Int64.div m.Xenctrl.size mib) (Int64.div m.Xenctrl.free mib)
			(Int64.div m.Xenctrl.claimed mib)
			(Int64.div m.Xenctrl.claimable mib))
		mi;
	let _, best = best_node xc in
	(* A quarter of the best node fits it, whatever dom0 holds there. *)
	build xc cpu_nodes ~what:"fits a node" ~mb:(Int64.div best (Int64.mul 4L mib))
		~expect_node:true;
	(* More than any node can claim, but well within the host. *)
	let host_free = Array.fold_left (fun a m -> Int64.add a m.Xenctrl.free) 0L mi in
	let big = Int64.add (Int64.div best mib) 16L in
	if Array.length mi > 1 && Int64.mul big mib < Int64.div (Int64.mul host_free 3L) 4L then
		build xc cpu_nodes ~what:"larger than any node" ~mb:big ~expect_node:false
	else
		result false "no room on this host for a domain larger than a node"

let () =
	(try main () with e ->
		result false "stopped by %s" (Printexc.to_string e));
	Printf.printf "numa-client: %d passed, %d failed\n" !passed !failed;
	exit (min !failed 100)
