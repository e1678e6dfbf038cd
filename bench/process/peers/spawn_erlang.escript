#!/usr/bin/env escript
%% Erlang: /bin/true n times through open_port, each after the previous one's
%% exit_status. Prints spawns/s.
-mode(compile).

main([N]) ->
    Count = list_to_integer(N),
    Start = erlang:monotonic_time(microsecond),
    loop(Count),
    Seconds = (erlang:monotonic_time(microsecond) - Start) / 1.0e6,
    io:format("~.1f~n", [Count / Seconds]).

loop(0) -> ok;
loop(N) ->
    Port = open_port({spawn_executable, "/bin/true"}, [exit_status]),
    receive
        {Port, {exit_status, 0}} -> loop(N - 1);
        {Port, {exit_status, Code}} -> halt(Code)
    end.
