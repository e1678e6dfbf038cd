%% The Erlang peer of the messaging benchmarks (bench/messaging/README.md).
%%
%%   erl -noshell -pa <dir> -run messaging_peer main plain|chain <figure> <amount>
%%
%% Prints one number: send1, send4, channel -> messages/s; request -> median
%% over batches of 100 round trips of their mean, us; fanout -> ms; spawn,
%% restart -> us each. "chain" is the same-work peer: every process that
%% receives a message appends it to its own SHA-256 hash chain
%% (head = sha256(head || message)), and the parent appends a record per
%% spawn or restart, since Theater records all of these and plain Erlang does not.
-module(messaging_peer).
-behaviour(supervisor).
-export([main/1, init/1, start_child/2]).

-define(MESSAGE, binary:copy(<<"abcdefgh">>, 8)).  % 64 bytes, as Theater's sender
-define(BATCH, 100).

main([Mode, Figure, Amount]) ->
    logger:set_primary_config(level, none),  % a restart's crash report is expected here
    Append = append_fun(list_to_atom(Mode)),
    Value = run(list_to_atom(Figure), list_to_integer(Amount), Append),
    io:format("~.2f~n", [float(Value)]),
    halt(0).

append_fun(plain) -> fun(Head, _) -> Head end;
append_fun(chain) ->
    _ = crypto:hash(sha256, <<>>),  % loads the NIF before anything is timed
    fun(Head, Message) -> crypto:hash(sha256, [Head, Message]) end.

head() -> <<0:256>>.

seconds_since(Start) -> (erlang:monotonic_time() - Start) / erlang:convert_time_unit(1, second, native).

%% ---- one way: senders -> one receiver, messages/s --------------------------

run(send1, N, Append) -> one_way(1, N, Append, plain);
run(send4, N, Append) -> one_way(4, N - N rem 4, Append, plain);
%% A channel: the receiver accepts it, then takes only messages on it.
run(channel, N, Append) -> one_way(1, N, Append, channel);
run(request, Trips, Append) -> request_reply(max(1, Trips div ?BATCH), Append);
run(fanout, Actors, Append) -> fan_out(Actors, Append);
run(spawn, N, Append) -> spawn_children(N, Append);
run(restart, N, Append) -> restart_children(N, Append).

one_way(Senders, N, Append, Kind) ->
    Self = self(),
    Receiver = spawn(fun() -> receiver(Kind, Self, N, Append) end),
    Tag = open(Kind, Receiver),
    Start = erlang:monotonic_time(),
    Each = N div Senders,
    [spawn(fun() -> send_n(Receiver, Tag, ?MESSAGE, Each) end) || _ <- lists:seq(1, Senders)],
    receive {done, N} -> N / seconds_since(Start) end.

open(plain, _) -> plain;
open(channel, Receiver) ->
    Channel = make_ref(),
    Receiver ! {open, self(), Channel},
    receive {accepted, Channel} -> Channel end.

receiver(channel, Parent, N, Append) ->
    receive {open, Opener, Channel} -> Opener ! {accepted, Channel} end,
    count(Channel, Parent, N, 0, head(), Append);
receiver(plain, Parent, N, Append) -> count(plain, Parent, N, 0, head(), Append).

count(_, Parent, N, N, _, _) -> Parent ! {done, N};
count(Tag, Parent, N, Seen, Head, Append) ->
    receive {Tag, Message} -> count(Tag, Parent, N, Seen + 1, Append(Head, Message), Append) end.

send_n(_, _, _, 0) -> ok;
send_n(To, Tag, Message, K) -> To ! {Tag, Message}, send_n(To, Tag, Message, K - 1).

%% ---- request/reply: median of batch means, us ------------------------------

request_reply(Batches, Append) ->
    Server = spawn(fun() -> echo(head(), Append) end),
    Means = [batch(Server, ?BATCH, Append) || _ <- lists:seq(1, Batches)],
    lists:nth(Batches div 2 + 1, lists:sort(Means)).

batch(Server, Size, Append) ->
    Start = erlang:monotonic_time(),
    ask(Server, Size, head(), Append),
    seconds_since(Start) * 1.0e6 / Size.

ask(_, 0, Head, _) -> Head;
ask(Server, K, Head, Append) ->
    Ref = make_ref(),
    Server ! {request, self(), Ref, ?MESSAGE},
    receive {reply, Ref, Reply} -> ask(Server, K - 1, Append(Head, Reply), Append) end.

echo(Head, Append) ->
    receive
        {request, From, Ref, Message} ->
            From ! {reply, Ref, Message},
            echo(Append(Head, Message), Append);
        {ask, From} ->
            From ! done,
            echo(Append(Head, <<"ask">>), Append)
    end.

%% ---- fan-out: one ask to each of Actors processes, all replies back, ms ----

fan_out(Actors, Append) ->
    Targets = [spawn(fun() -> echo(head(), Append) end) || _ <- lists:seq(1, Actors)],
    Start = erlang:monotonic_time(),
    [Target ! {ask, self()} || Target <- Targets],
    collect(Actors, head(), Append),
    seconds_since(Start) * 1.0e3.

collect(0, Head, _) -> Head;
collect(K, Head, Append) -> receive done -> collect(K - 1, Append(Head, <<"done">>), Append) end.

%% ---- spawn: a process that says it is ready (Theater's spawn returns after init), us

spawn_children(N, Append) ->
    Self = self(),
    Start = erlang:monotonic_time(),
    {Children, _} = lists:foldl(
        fun(_, {Pids, Head}) ->
            Pid = spawn(fun() -> Self ! {ready, self()}, receive stop -> ok end end),
            receive {ready, Pid} -> ok end,
            {[Pid | Pids], Append(Head, term_to_binary(Pid))}
        end, {[], head()}, lists:seq(1, N)),
    Each = seconds_since(Start) * 1.0e6 / N,
    [Pid ! stop || Pid <- Children],
    Each.

%% ---- restart: an OTP one_for_one supervisor restarts a crashed child, us ---
%% From the crash order to the new child's "started".

restart_children(N, Append) ->
    process_flag(trap_exit, true),
    {ok, _} = supervisor:start_link(?MODULE, self()),
    First = receive {started, Pid} -> Pid end,
    Start = erlang:monotonic_time(),
    crash_loop(First, N, head(), Append),
    seconds_since(Start) * 1.0e6 / N.

crash_loop(_, 0, Head, _) -> Head;
crash_loop(Child, K, Head, Append) ->
    Child ! crash,
    receive {started, New} -> crash_loop(New, K - 1, Append(Head, term_to_binary(New)), Append) end.

init(Bench) ->
    Flags = #{strategy => one_for_one, intensity => 1000000000, period => 1},
    Child = #{id => worker, start => {?MODULE, start_child, [Bench, worker]}, restart => permanent},
    {ok, {Flags, [Child]}}.

start_child(Bench, _) ->
    Pid = spawn_link(fun() -> receive crash -> exit(crashed) end end),
    Bench ! {started, Pid},
    {ok, Pid}.
